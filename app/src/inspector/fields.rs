//! Form fields for the inspector: text, number, checkbox, choice and JSON, each labelled (so
//! tests and screen readers find it by name) and committing on change (blur or Enter), so one
//! edit is one undo step. A JSON field validates as you type and shows the problem under it.

use leptos::prelude::*;
use serde_json::Value;

/// A single-line text input.
#[component]
pub fn TextField(
    label: String,
    #[prop(into)] value: Signal<String>,
    on_commit: Callback<String>,
    #[prop(optional)] mono: bool,
    #[prop(optional, into)] placeholder: String,
    /// The id of a `<datalist>` whose options are offered while typing.
    #[prop(optional)]
    list: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <input
                class=if mono { "input mono" } else { "input" }
                placeholder=placeholder
                list=list
                prop:value=move || value.get()
                on:change=move |ev| on_commit.run(event_target_value(&ev))
            />
        </label>
    }
}

/// A DynamoDB expression: checked as you type, DynamoDB's message under the field; committed
/// on change even when invalid (validation and the run report it then).
#[component]
pub fn ExpressionField(
    label: String,
    #[prop(into)] value: Signal<String>,
    on_commit: Callback<String>,
    check: Callback<String, Option<String>>,
) -> impl IntoView {
    let draft = RwSignal::new(None::<String>);
    let problem = move || check.run(draft.get().unwrap_or_else(|| value.get()));
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <input
                class="input mono"
                spellcheck="false"
                prop:value=move || draft.get().unwrap_or_else(|| value.get())
                on:input=move |ev| draft.set(Some(event_target_value(&ev)))
                on:change=move |ev| {
                    draft.set(None);
                    on_commit.run(event_target_value(&ev));
                }
            />
            {move || problem().map(|p| view! { <span class="field-error" role="alert">{p}</span> })}
        </label>
    }
}

/// A whole-number input; empty means "not set" when `optional`.
#[component]
pub fn NumberField(
    label: String,
    #[prop(into)] value: Signal<Option<u64>>,
    on_commit: Callback<Option<u64>>,
    #[prop(optional)] optional: bool,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let commit = move |text: String| {
        let text = text.trim().to_string();
        if text.is_empty() && optional {
            error.set(None);
            on_commit.run(None);
            return;
        }
        match text.parse::<u64>() {
            Ok(number) => {
                error.set(None);
                on_commit.run(Some(number));
            }
            Err(_) => error.set(Some("Enter a whole number.".into())),
        }
    };
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <input
                class="input"
                inputmode="numeric"
                placeholder=if optional { "not set" } else { "" }
                prop:value=move || value.get().map(|n| n.to_string()).unwrap_or_default()
                on:change=move |ev| commit(event_target_value(&ev))
            />
            {move || error.get().map(|e| view! { <span class="field-error">{e}</span> })}
        </label>
    }
}

#[component]
pub fn CheckField(
    label: String,
    #[prop(into)] value: Signal<bool>,
    on_commit: Callback<bool>,
) -> impl IntoView {
    view! {
        <label class="field check">
            <input
                type="checkbox"
                prop:checked=move || value.get()
                on:change=move |ev| on_commit.run(event_target_checked(&ev))
            />
            <span class="field-label">{label}</span>
        </label>
    }
}

/// A choice among (value, text) options; an empty value is offered as "none" when `optional`.
#[component]
pub fn ChoiceField(
    label: String,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    on_commit: Callback<String>,
    #[prop(optional)] optional: bool,
    /// Goes back to "none" after each choice: a menu of actions such as "Add a step".
    #[prop(optional)]
    reset: bool,
) -> impl IntoView {
    // The select's own name: wrapped in its label, it would be named after the label and the
    // chosen option run together ("Functioncharge-payment").
    let name = label.clone();
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <select
                class="input"
                aria-label=name
                prop:value=move || value.get()
                on:change=move |ev| {
                    on_commit.run(event_target_value(&ev));
                    if reset {
                        if let Some(select) = ev
                            .target()
                            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok())
                        {
                            select.set_value("");
                        }
                    }
                }
            >
                {move || {
                    let current = value.get();
                    let mut list = options.get();
                    if !current.is_empty() && !list.iter().any(|(v, _)| *v == current) {
                        list.insert(0, (current.clone(), format!("{current} (missing)")));
                    }
                    let none = (optional || current.is_empty())
                        .then(|| view! { <option value="" selected=current.is_empty()>"— none —"</option> });
                    view! {
                        {none}
                        {list
                            .into_iter()
                            .map(|(v, text)| {
                                let selected = v == current;
                                view! { <option value=v selected=selected>{text}</option> }
                            })
                            .collect_view()}
                    }
                }}
            </select>
        </label>
    }
}

/// A JSON (or, with `lenient`, JSON-or-plain-text) editor. `check` returns the problem with a
/// text that parses, shown live under the field; the value is committed on change whenever it
/// parses, even if `check` objects (validation reports it on the design too).
#[component]
pub fn JsonField(
    label: String,
    #[prop(into)] value: Signal<Option<Value>>,
    on_commit: Callback<Option<Value>>,
    #[prop(optional)] check: Option<Callback<String, Option<String>>>,
    #[prop(optional)] lenient: bool,
    #[prop(optional)] optional: bool,
    #[prop(default = 3)] rows: u32,
) -> impl IntoView {
    let shown = move || {
        value
            .get()
            .map(|v| show_value(&v, lenient))
            .unwrap_or_default()
    };
    let draft = RwSignal::new(None::<String>);
    let problem = move || {
        let text = draft.get().unwrap_or_else(shown);
        if text.trim().is_empty() {
            return None;
        }
        match parse_value(&text, lenient) {
            Err(error) => Some(error),
            Ok(_) => check.and_then(|c| c.run(text)),
        }
    };
    let commit = move |text: String| {
        if text.trim().is_empty() && optional {
            draft.set(None);
            on_commit.run(None);
        } else if let Ok(parsed) = parse_value(&text, lenient) {
            draft.set(None);
            on_commit.run(Some(parsed));
        }
    };
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <textarea
                class="input mono"
                rows=rows
                spellcheck="false"
                prop:value=move || draft.get().unwrap_or_else(shown)
                on:input=move |ev| draft.set(Some(event_target_value(&ev)))
                on:change=move |ev| commit(event_target_value(&ev))
            />
            {move || problem().map(|p| view! { <span class="field-error" role="alert">{p}</span> })}
        </label>
    }
}

/// How a value is shown for editing: JSON, or a bare string when lenient and unambiguous.
pub fn show_value(value: &Value, lenient: bool) -> String {
    match value {
        Value::String(text) if lenient && serde_json::from_str::<Value>(text).is_err() => {
            text.clone()
        }
        Value::Object(map) if map.is_empty() => "{}".to_string(),
        other if other.is_object() || other.is_array() => {
            serde_json::to_string_pretty(other).unwrap_or_default()
        }
        other => other.to_string(),
    }
}

/// Reads an edited value back: JSON, or when lenient anything that is not JSON as a string.
pub fn parse_value(text: &str, lenient: bool) -> Result<Value, String> {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => Ok(value),
        Err(_) if lenient => Ok(Value::String(text.trim().to_string())),
        Err(error) => Err(format!("Not valid JSON: {error}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lenient_values_show_references_bare_and_read_them_back() {
        // `$.data.orderId` is edited without quotes; numbers, objects and quoted look-alikes
        // survive the round trip unchanged.
        for value in [
            json!("$.data.orderId"),
            json!(12),
            json!({"a": [1]}),
            json!("12"),
            json!("true"),
        ] {
            let shown = show_value(&value, true);
            assert_eq!(parse_value(&shown, true), Ok(value.clone()), "{shown}");
        }
        assert_eq!(show_value(&json!("$.x"), true), "$.x");
        assert!(parse_value("{oops", false)
            .unwrap_err()
            .starts_with("Not valid JSON"));
    }
}
