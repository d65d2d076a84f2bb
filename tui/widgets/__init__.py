"""The app's widgets; none of them touches the store or the SDK (the main screen does)."""
