//! `GET /info`: open to anyone, as on a director, since the CLI reads it to learn how to log
//! in. It says `basic`, so the CLI sends `--client`/`--client-secret` as Basic credentials.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;
use serde_json::{json, Value};

use crate::blobstore::server::App;

pub async fn info(State(app): State<Arc<App>>, headers: HeaderMap) -> Json<Value> {
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let user = app.users.who(auth).map(|(u, _)| u);
    Json(json!({
        "name": "bale",
        "uuid": app.director.uuid,
        "version": format!("{} (bale)", env!("CARGO_PKG_VERSION")),
        "user": user,
        "cpi": "",
        "stemcell_os": "",
        "stemcell_version": "",
        "user_authentication": {"type": "basic", "options": {}},
        "features": {
            "local_dns": {"status": false, "extras": {"domain_name": "bosh"}},
            "snapshots": {"status": false},
            "config_server": {"status": false, "extras": {"urls": []}},
        },
    }))
}
