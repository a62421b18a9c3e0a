//! The panic hook: a panic in the app is a bug, but the person in front of the projector must
//! see a readable message (and know their work is autosaved), never a dead page.

use wasm_bindgen::JsCast;

/// Installs a hook that logs the panic to the console and shows it on the page.
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_fatal_message(&info.to_string());
    }));
}

fn show_fatal_message(detail: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    let Ok(element) = document.create_element("div") else {
        return;
    };
    element.set_class_name("fatal");
    element.set_attribute("role", "alert").ok();
    // Text, never HTML: the detail may quote user input.
    element.set_text_content(Some(&format!(
        "EventLab hit an internal error and stopped. Your last autosaved design is kept; reload \
         the page to continue. Please report this: {detail}"
    )));
    if let Ok(html) = element.dyn_into::<web_sys::HtmlElement>() {
        body.append_child(&html).ok();
    }
}
