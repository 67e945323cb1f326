//! The JSON API's routes and their OpenAPI 3.1 description, from one table.
//!
//! Each entry of [`routes`] registers a handler *and* describes it, so the
//! document at `/api/v1/openapi.json` cannot miss or misname an endpoint.
//! Written without utoipa's derive macros on purpose: they would need
//! annotations on every handler. Every JSON response schema is generated from the type the handler
//! serialises (`schemars`, [`schema_of`]), so it cannot drift from what is
//! served; only the shared error body is written by hand.

use axum::routing::{get, MethodRouter};
use serde_json::{json, Value};

use crate::handlers::{agenda, archive, balance, frameworks, people, search, transcripts};
use crate::state::AppState;

#[derive(Clone, Copy)]
pub(crate) enum In {
    Path,
    Query,
}

#[derive(Clone, Copy)]
pub(crate) struct Param {
    pub name: &'static str,
    pub at: In,
    pub required: bool,
    pub description: &'static str,
    /// `integer` or `string`.
    pub kind: &'static str,
    pub values: &'static [&'static str],
}

const fn path(name: &'static str, description: &'static str) -> Param {
    Param {
        name,
        at: In::Path,
        required: true,
        description,
        kind: "string",
        values: &[],
    }
}

const fn query(name: &'static str, description: &'static str) -> Param {
    Param {
        name,
        at: In::Query,
        required: false,
        description,
        kind: "string",
        values: &[],
    }
}

pub(crate) struct Doc {
    /// OpenAPI path (`{id}` style; a trailing `{*rest}` is written `{id}`).
    pub path: &'static str,
    pub summary: &'static str,
    pub params: Vec<Param>,
    /// The success schema (JSON Schema).
    pub response: Value,
    /// Media type of the success response.
    pub media: &'static str,
    /// Other media types the success response may take (`format=`).
    pub alt_media: &'static [&'static str],
}

/// The JSON Schema (2020-12, subschemas inlined) of a type the API serialises.
pub(crate) fn schema_of<T: schemars::JsonSchema>() -> Value {
    let mut settings = schemars::generate::SchemaSettings::draft2020_12();
    settings.inline_subschemas = true;
    let mut g = schemars::SchemaGenerator::new(settings);
    let mut v = g.subschema_for::<T>().to_value();
    strip_formats(&mut v);
    v
}

/// Drops schemars' numeric `format`s (`uint64`, `int32`, `double`, …): they are not
/// JSON Schema formats, and validators that check formats would reject them.
fn strip_formats(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.get("format").and_then(Value::as_str).is_some_and(|f| {
                f.starts_with("int") || f.starts_with("uint") || f == "double" || f == "float"
            }) {
                m.remove("format");
            }
            m.values_mut().for_each(strip_formats);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_formats),
        _ => {}
    }
}

/// Every API route: its handler and its description.
pub(crate) fn routes() -> Vec<(Doc, MethodRouter<AppState>)> {
    let sessions = schema_of::<Vec<plenary_agenda::Session>>();
    let filters = || {
        vec![
            query("type", "session type"),
            query("room", "room"),
            query("action_line", "WSIS Action Line code, e.g. C5"),
            query("sdg", "SDG number"),
            query("gdc", "GDC objective number"),
            query("topic", "topic code"),
            query("speaker", "speaker name"),
        ]
    };
    let scope = || {
        vec![
            query("list", "a list slug"),
            query("thread", "a thread id"),
            query("event", "an event id"),
            query("sessions", "session ids, comma-separated (their speakers)"),
            query("framework", "a framework id (with code)"),
            query("code", "an item code of that framework"),
            query("year", "a year"),
            Param {
                values: &[
                    "stakeholder-group",
                    "region",
                    "m49-region",
                    "global-south",
                    "organization",
                ],
                ..query("by", "what to break participation down by")
            },
            Param {
                values: &["json", "csv", "graphml"],
                ..query(
                    "format",
                    "json (default), csv for balance, graphml for the network",
                )
            },
        ]
    };
    let doc =
        |path: &'static str, summary: &'static str, params: Vec<Param>, response: Value| Doc {
            path,
            summary,
            params,
            response,
            media: "application/json",
            alt_media: &[],
        };
    vec![
        (
            doc("/api/v1/stats", "Counts of what is stored", vec![], schema_of::<plenary_store::Stats>()),
            get(archive::stats_api),
        ),
        (
            doc("/api/v1/home", "What the home page shows: lists, latest threads, upcoming and recent sessions, frameworks", vec![],
                schema_of::<archive::HomeOut>()),
            get(archive::home_api),
        ),
        (
            doc("/api/v1/lists", "Every list", vec![], schema_of::<Vec<plenary_store::ListSummary>>()),
            get(archive::lists_api),
        ),
        (
            doc("/api/v1/lists/{list}", "One list and its months", vec![path("list", "list slug")],
                schema_of::<archive::ListOut>()),
            get(archive::list_api),
        ),
        (
            doc(
                "/api/v1/lists/{list}/threads",
                "A list's threads, newest activity first",
                vec![
                    path("list", "list slug"),
                    query("month", "only threads with messages in this month (YYYY-MM)"),
                    Param { kind: "integer", ..query("limit", "at most this many threads (1–100000)") },
                ],
                schema_of::<Vec<plenary_store::ThreadSummary>>(),
            ),
            get(archive::threads_api),
        ),
        (
            doc("/api/v1/threads/{id}", "One thread with its messages (archived and recovered from quotes) in reply order, each with its author's person, its own text and detected language. A message's `date` is RFC 3339 UTC (`…Z`) when `date_exact`; otherwise (a date read from an attribution that gave no UTC offset) it is the writer's local wall-clock time without a zone (`2025-07-23T19:02:00`)", vec![path("id", "thread id")],
                schema_of::<plenary_store::ThreadDetail>()),
            get(archive::thread_api),
        ),
        (
            doc("/api/v1/messages/{id}", "One archived or reconstructed message (append /raw for its bytes)",
                vec![path("id", "message id (Message-ID without brackets, or h…/r… ids)")],
                schema_of::<plenary_store::MessageDetail>()),
            get(archive::message_api),
        ),
        (
            // Served by the route above (it reads the rest of the path); described here.
            Doc {
                media: "message/rfc822",
                alt_media: &["application/octet-stream"],
                ..doc("/api/v1/messages/{id}/raw", "An archived message's stored bytes (addresses obfuscated unless the server shows them): message/rfc822 when they are mail, else application/octet-stream",
                    vec![path("id", "archived message id")], json!({"type": "string"}))
            },
            get(archive::message_api),
        ),
        (
            doc(
                "/api/v1/search",
                "Search messages, reconstructed messages, sessions, people and organisations (query language as on /search)",
                vec![
                    Param { required: true, ..query("q", "the query") },
                    Param { values: &["relevance", "date"], ..query("sort", "relevance (default) or date") },
                    Param { kind: "integer", ..query("page", "page number, from 1") },
                    Param { kind: "integer", ..query("per_page", "results per page, 1–100") },
                    Param { values: &["true", "false"], ..query("facets", "false leaves facet counts out") },
                ],
                schema_of::<search::ApiResults>(),
            ),
            get(search::search_api),
        ),
        (
            doc("/api/v1/sessions", "Sessions of every event, filtered", filters(), sessions.clone()),
            get(agenda::sessions_api),
        ),
        (
            doc("/api/v1/sessions/{id}", "One session with its versions", vec![path("id", "session id")],
                schema_of::<agenda::SessionOut>()),
            get(agenda::session_api),
        ),
        (
            doc("/api/v1/transcripts/{id}", "One session transcript: its turns, and each speaker linked to a panellist and a person with the evidence",
                vec![path("id", "transcript id")],
                schema_of::<plenary_store::StoredTranscript>()),
            get(transcripts::transcript_api),
        ),
        (
            doc("/api/v1/events", "Every event", vec![], schema_of::<Vec<plenary_store::EventSummary>>()),
            get(agenda::events_api),
        ),
        (
            doc("/api/v1/events/{id}/sessions", "One event's sessions, filtered",
                { let mut p = vec![path("id", "event id")]; p.extend(filters()); p },
                sessions),
            get(agenda::event_sessions_api),
        ),
        (
            doc("/api/v1/frameworks", "Frameworks (Action Lines, SDGs, GDC, topics, …) with counts", vec![],
                schema_of::<Vec<frameworks::FrameworkHead>>()),
            get(frameworks::frameworks_api),
        ),
        (
            doc("/api/v1/frameworks/{id}", "One framework's items", vec![path("id", "framework id")],
                schema_of::<plenary_frameworks::Framework>()),
            get(frameworks::framework_api),
        ),
        (
            doc("/api/v1/frameworks/{id}/{code}", "One item with what is tagged with it",
                vec![path("id", "framework id"), path("code", "item code")], schema_of::<frameworks::ItemData>()),
            get(frameworks::framework_item_api),
        ),
        (
            doc("/api/v1/people", "People, most active first", vec![], schema_of::<Vec<plenary_store::PersonRecord>>()),
            get(people::people_api),
        ),
        (
            doc("/api/v1/people/{id}", "One person with affiliations and evidence", vec![path("id", "person id")], schema_of::<plenary_store::PersonRecord>()),
            get(people::person_api),
        ),
        (
            doc("/api/v1/organizations/{id}", "One organisation: people, group, country, activity",
                vec![path("id", "organisation id")], schema_of::<people::OrgData>()),
            get(people::org_api),
        ),
        (
            Doc {
                alt_media: &["text/csv"],
                ..doc("/api/v1/balance", "Participation balance of a list, thread, event, framework item or year (format=csv for CSV)", scope(), schema_of::<plenary_people::balance::Balance>())
            },
            get(balance::balance_api),
        ),
        (
            Doc {
                alt_media: &["application/graphml+xml"],
                ..doc("/api/v1/network", "Who answers whom in a list or thread (format=graphml for GraphML)", scope(), schema_of::<plenary_people::network::Network>())
            },
            get(balance::network_api),
        ),
    ]
}

/// The OpenAPI document of [`routes`].
pub(crate) fn document(routes: &[Doc]) -> Value {
    let mut paths = serde_json::Map::new();
    for d in routes {
        let params: Vec<Value> = d
            .params
            .iter()
            .map(|p| {
                let mut schema = json!({"type": p.kind});
                if !p.values.is_empty() {
                    schema = json!({"type": "string", "enum": p.values});
                }
                if p.kind == "integer" {
                    schema = json!({"type": "integer", "minimum": 1});
                }
                if matches!(p.at, In::Path) {
                    schema["minLength"] = json!(1);
                }
                json!({
                    "name": p.name,
                    "in": match p.at { In::Path => "path", In::Query => "query" },
                    "required": p.required,
                    "description": p.description,
                    "schema": schema,
                })
            })
            .collect();
        let error = json!({"$ref": "#/components/responses/Error"});
        let mut content = serde_json::Map::new();
        content.insert(d.media.to_string(), json!({"schema": d.response}));
        for m in d.alt_media {
            content.insert(m.to_string(), json!({"schema": {"type": "string"}}));
        }
        paths.insert(
            d.path.to_string(),
            json!({"get": {
                "summary": d.summary,
                "operationId": d.path.trim_start_matches("/api/v1/").replace(['/', '{', '}'], "_"),
                "parameters": params,
                "responses": {
                    "200": {"description": "OK", "content": content},
                    "304": {"description": "Not modified (If-None-Match / If-Modified-Since)"},
                    "400": error,
                    "404": error,
                }
            }}),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Plenary API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The open record of multistakeholder digital cooperation: lists, threads, messages (archived and reconstructed from quotes), sessions, frameworks, people, balance and search. Read-only; CORS open; ETag and Last-Modified on every response.",
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "responses": {
                "Error": {
                    "description": "What went wrong, in words",
                    "content": {"application/json": {"schema": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}}}
                }
            }
        }
    })
}

/// `/api/v1/openapi.json`.
pub(crate) async fn openapi_json() -> axum::Json<Value> {
    let docs: Vec<Doc> = routes().into_iter().map(|(d, _)| d).collect();
    axum::Json(document(&docs))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a schema that says nothing looks like: `{}`, `true`, or an object
    /// type with neither properties nor a value schema (and no alternatives).
    fn vague(s: &Value) -> bool {
        match s {
            Value::Bool(true) => true,
            Value::Object(m) if m.is_empty() => true,
            Value::Object(m) => {
                let object = m.get("type") == Some(&json!("object"));
                let described = [
                    "properties",
                    "additionalProperties",
                    "oneOf",
                    "anyOf",
                    "allOf",
                ]
                .iter()
                .any(|k| m.contains_key(*k));
                object && !described
            }
            _ => false,
        }
    }

    /// Every place under `s` (its own path first) where the schema says nothing,
    /// except values the type declares as free JSON (`serde_json::Value`, read
    /// as `true` inside a described object).
    fn vague_places(s: &Value, at: &str, top: bool, out: &mut Vec<String>) {
        if (top && vague(s)) || (!top && vague(s) && s != &Value::Bool(true)) {
            out.push(at.to_string());
        }
        let Value::Object(m) = s else { return };
        if let Some(items) = m.get("items") {
            // An array of nothing is as vague as nothing.
            if vague(items) {
                out.push(format!("{at}[]"));
            }
            vague_places(items, &format!("{at}[]"), false, out);
        }
        if let Some(Value::Object(props)) = m.get("properties") {
            for (k, v) in props {
                vague_places(v, &format!("{at}.{k}"), false, out);
            }
        }
        for k in ["oneOf", "anyOf", "allOf"] {
            if let Some(Value::Array(alts)) = m.get(k) {
                for (i, v) in alts.iter().enumerate() {
                    vague_places(v, &format!("{at}<{k}{i}>"), false, out);
                }
            }
        }
        if let Some(v) = m.get("additionalProperties") {
            if v.is_object() {
                vague_places(v, &format!("{at}{{*}}"), false, out);
            }
        }
    }

    #[test]
    fn every_json_response_schema_is_generated_and_says_something() {
        let docs: Vec<Doc> = routes().into_iter().map(|(d, _)| d).collect();
        let doc = document(&docs);
        let paths = doc["paths"].as_object().expect("paths is an object");
        let mut json_routes = 0;
        let mut bad = Vec::new();
        for (path, item) in paths {
            let content = &item["get"]["responses"]["200"]["content"];
            let Some(schema) = content.get("application/json").map(|c| &c["schema"]) else {
                continue;
            };
            json_routes += 1;
            // A schema generated from a type names its properties (or its items').
            let shaped = schema.get("properties").is_some()
                || schema["items"].get("properties").is_some()
                || schema.get("oneOf").is_some();
            if !shaped {
                bad.push(format!("{path}: no properties"));
            }
            vague_places(schema, path, true, &mut bad);
        }
        assert!(
            json_routes >= 20,
            "only {json_routes} JSON routes described"
        );
        assert!(bad.is_empty(), "vague response schemas: {bad:#?}");
    }

    #[test]
    fn the_vagueness_check_catches_what_hand_written_schemas_used_to_say() {
        let mut out = Vec::new();
        vague_places(&json!({}), "a", true, &mut out);
        vague_places(&json!({"type": "object"}), "b", true, &mut out);
        vague_places(
            &json!({"type": "array", "items": {"type": "object"}}),
            "c",
            true,
            &mut out,
        );
        vague_places(
            &json!({"type": "object", "properties": {"x": {"type": "object"}}}),
            "d",
            true,
            &mut out,
        );
        assert_eq!(out, ["a", "b", "c[]", "c[]", "d.x"]);
        let mut fine = Vec::new();
        vague_places(
            &schema_of::<plenary_store::Stats>(),
            "stats",
            true,
            &mut fine,
        );
        assert!(fine.is_empty(), "{fine:?}");
    }
}
