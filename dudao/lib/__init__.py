"""Small pure helpers shared by the apps (no models here)."""
