//! Small browser helpers: downloads, the clipboard, reading a chosen file. Everything that
//! can fail in a browser fails quietly into a `Result` or `Option`; nothing here panics.

use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` as a file download named `file_name`.
pub fn download_text(file_name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    download_url(file_name, &url)?;
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// Clicks a temporary link to download `url` as `file_name`.
pub fn download_url(file_name: &str, url: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    anchor.set_href(url);
    anchor.set_download(file_name);
    anchor.click();
    Ok(())
}

/// Copies text to the clipboard; true when the browser confirmed it.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Reads the first file chosen in a file input as text.
pub async fn read_chosen_file(input: &web_sys::HtmlInputElement) -> Option<String> {
    let file = input.files()?.get(0)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()?;
    text.as_string()
}

/// Whether keyboard focus is in a text field, where keys belong to the field.
/// Whether focus is on something Space and Enter press (a button, a link, a summary), so those
/// keys belong to it.
pub fn focus_on_control() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_some_and(|active| {
            matches!(active.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY")
                || active.get_attribute("role").as_deref() == Some("button")
        })
}

pub fn typing_in_field() -> bool {
    let Some(active) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
    else {
        return false;
    };
    matches!(active.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || active.get_attribute("contenteditable").is_some()
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
// Unpacks base64url zlib data with the browser's own inflater, stopping past `limit` bytes (a
// link is untrusted input); null when anything is off, so the caller takes the long way.
export async function inflateLinkData(data, limit) {
  if (typeof DecompressionStream === 'undefined' || !/^[A-Za-z0-9_-]*$/.test(data)) return null;
  try {
    const binary = atob(data.replace(/-/g, '+').replace(/_/g, '/'));
    const packed = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const reader = new Blob([packed]).stream().pipeThrough(new DecompressionStream('deflate')).getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    return null;
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = inflateLinkData)]
    fn inflate_link_data(data: &str, limit: u32) -> js_sys::Promise;
}

/// Unpacks a `v1.` link's data (base64url of a zlib stream) with the browser's own inflater,
/// up to `limit` bytes; `None` when the browser cannot or the data is not whole, small UTF-8.
pub async fn inflate_link(data: &str, limit: u32) -> Option<String> {
    wasm_bindgen_futures::JsFuture::from(inflate_link_data(data, limit))
        .await
        .ok()?
        .as_string()
}
