"""eventhub: room events over WebSockets, reports from ClickHouse."""
