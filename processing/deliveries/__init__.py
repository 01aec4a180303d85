"""Processing for deliveries: nadir:download_deliveries."""
