//! What every store module shares: binding values for D1, and reading one
//! text column or one count.

use serde::{Deserialize, Deserializer};
use wasm_bindgen::JsValue;

use crate::d1::Db;
use crate::error::ApiResult;

/// Binding values for D1: SQL NULL for `None`, numbers as JS numbers.
pub fn opt_text(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from)
}

pub fn int(value: i64) -> JsValue {
    JsValue::from_f64(value as f64)
}

pub fn flag(value: bool) -> JsValue {
    JsValue::from_f64(if value { 1.0 } else { 0.0 })
}

/// A boolean as SQLite stores it, 0 or 1, for `#[serde(deserialize_with)]`.
pub fn stored_flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(i64::deserialize(deserializer)? != 0)
}

#[derive(Deserialize)]
struct Value {
    value: String,
}

/// The one text column `value` of every row `sql` selects.
pub async fn values<C: FromIterator<String>>(db: &Db, sql: &str, binds: Vec<JsValue>) -> ApiResult<C> {
    Ok(db.prepare(sql).bind(&binds)?.all().await?.results::<Value>()?.into_iter().map(|row| row.value).collect())
}

/// The number `count` of the one row `sql` selects (0 if none).
pub async fn count(db: &Db, sql: &str, binds: &[JsValue]) -> ApiResult<u32> {
    #[derive(Deserialize)]
    struct Count {
        count: u32,
    }
    Ok(db.prepare(sql).bind(binds)?.first::<Count>(None).await?.map_or(0, |row| row.count))
}

