"""Processing for placed orders: nadir:list_orders and nadir:cancel_order."""
