// 督查督办 pages: the "打印" link prints the page (no inline handlers under the CSP).
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.print-page");
  if (link) {
    event.preventDefault();
    window.print();
  }
});
