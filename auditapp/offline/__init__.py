"""The installable app: versioned static files, the service worker, the manifest and which pages a phone may keep."""
