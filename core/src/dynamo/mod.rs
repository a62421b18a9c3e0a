//! DynamoDB-style tables: attribute values, the expression language, items, transactions,
//! streams and per-partition capacity.
