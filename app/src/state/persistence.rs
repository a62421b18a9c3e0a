//! Saving and opening: autosave slots in localStorage, share links in the URL fragment, and
//! the decision at startup of which design to show. The rules:
//!
//! - Every change is saved into the current slot (`free` for free designs, `exercise-<id>` for
//!   each guided exercise).
//! - A link in the fragment opens into its own slot (`link-<hash>`, numbered if that slot
//!   already holds different work), so it never overwrites other work; the fragment is then
//!   cleared, so a reload shows the slot (with the edits made since).
//! - A link that cannot be opened shows its message and the autosaved design stays as it was.
//! - Share puts the link in the address bar and remembers which slot it came from, so
//!   reloading one's own shared link continues that slot instead of forking it.
//! - A saved design is read strictly (it is canonical JSON this page wrote). One that does not
//!   read is copied aside under `unreadable/<slot>` before anything can overwrite it, and the
//!   startup asks the worker's tolerant loader to repair it.
//!
//! Links are packed and unpacked by the worker (the codec is not in the page's bundle): this
//! module only takes the fragment, names slots and puts the made link in the address bar.

use eventlab_core::design::{read_canonical, to_canonical_json, Design};

use super::session::{Notice, NoticeKind};

const PREFIX: &str = "eventlab/v1/";
pub const FREE_SLOT: &str = "free";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn slot_key(slot: &str) -> String {
    format!("{PREFIX}slot/{slot}")
}

pub fn save(slot: &str, design: &Design) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(&slot_key(slot), &to_canonical_json(design));
        let _ = storage.set_item(&format!("{PREFIX}current"), slot);
    }
}

pub fn load_slot(slot: &str) -> Option<Design> {
    let storage = storage()?;
    let text = storage.get_item(&slot_key(slot)).ok()??;
    match read_canonical(&text) {
        Ok(design) => Some(design),
        Err(_) => {
            // Kept aside before the autosave can replace it: nothing a person made is lost.
            let _ = storage.set_item(&unreadable_key(slot), &text);
            None
        }
    }
}

fn unreadable_key(slot: &str) -> String {
    format!("{PREFIX}unreadable/{slot}")
}

/// The text of a slot that did not read strictly (kept aside by `load_slot`), for the worker's
/// tolerant loader to repair.
pub fn unreadable(slot: &str) -> Option<String> {
    storage()?.get_item(&unreadable_key(slot)).ok()?
}

/// Forgets the aside copy once the repaired design is back in its slot.
pub fn forget_unreadable(slot: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&unreadable_key(slot));
    }
}

/// Every saved slot with its design's name, free slot first.
pub fn slots() -> Vec<(String, String)> {
    let Some(storage) = storage() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let length = storage.length().unwrap_or(0);
    for index in 0..length {
        let Ok(Some(key)) = storage.key(index) else {
            continue;
        };
        if let Some(slot) = key.strip_prefix(&format!("{PREFIX}slot/")) {
            let name = load_slot(slot).map(|d| d.name).unwrap_or_default();
            out.push((slot.to_string(), name));
        }
    }
    out.sort_by_key(|(slot, _)| (slot != FREE_SLOT, slot.clone()));
    out
}

/// What the app opens with: the design, its slot, and a message for the person.
pub struct Startup {
    pub design: Design,
    pub slot: String,
    pub notice: Option<Notice>,
    /// A shared link still to be unpacked by the worker (the design above shows meanwhile).
    pub link: Option<String>,
    /// The saved text of the slot when it did not read strictly, for the worker to repair.
    pub repair: Option<String>,
}

/// Whether this browser has never saved anything here and no link is being opened: a person's
/// first visit. Read before the first autosave.
pub fn first_visit() -> bool {
    let saved = storage().and_then(|s| s.get_item(&format!("{PREFIX}current")).ok().flatten());
    saved.is_none() && fragment().is_empty()
}

pub fn startup() -> Startup {
    let current = storage()
        .and_then(|s| s.get_item(&format!("{PREFIX}current")).ok().flatten())
        .unwrap_or_else(|| FREE_SLOT.to_string());
    let saved = load_slot(&current);
    let repair = if saved.is_none() {
        unreadable(&current)
    } else {
        None
    };
    let fallback = Startup {
        design: saved.unwrap_or_else(untitled),
        slot: current.clone(),
        notice: None,
        link: None,
        repair,
    };
    match take_fragment() {
        None => fallback,
        Some(FragmentLink::Own { slot, design }) => Startup {
            design: *design,
            slot,
            notice: None,
            link: None,
            repair: None,
        },
        Some(FragmentLink::Decode(link)) => Startup {
            notice: Some(Notice {
                kind: NoticeKind::Info,
                text: "Opening the shared design…".into(),
            }),
            link: Some(link),
            ..fallback
        },
    }
}

/// A link found in the URL fragment.
pub enum FragmentLink {
    /// A link this browser shared itself: the slot it came from, with the edits made since.
    Own { slot: String, design: Box<Design> },
    /// A link to unpack (by the worker), then `adopt`.
    Decode(String),
}

/// Takes the link in the URL fragment, if there is one, and clears the fragment. Used at
/// startup and when a link is pasted into an open tab.
pub fn take_fragment() -> Option<FragmentLink> {
    let fragment = fragment();
    if fragment.is_empty() {
        return None;
    }
    clear_fragment();
    let hash = link_hash(&fragment);
    if let Some(slot) = shared_from(&hash) {
        if let Some(design) = load_slot(&slot) {
            return Some(FragmentLink::Own {
                slot,
                design: Box::new(design),
            });
        }
    }
    Some(FragmentLink::Decode(fragment))
}

/// Saves an unpacked link's design into the link's own slot (never over other work) and
/// answers that slot.
pub fn adopt(link: &str, design: &Design) -> String {
    let slot = link_slot(&link_hash(link), design);
    save(&slot, design);
    slot
}

/// An empty design to start from.
pub fn untitled() -> Design {
    Design {
        name: "Untitled design".into(),
        ..Design::default()
    }
}

/// The slot for a link: `link-<hash>`, or a numbered one if that slot holds other work.
fn link_slot(hash: &str, design: &Design) -> String {
    let base = format!("link-{hash}");
    let canonical = to_canonical_json(design);
    for n in 1..100 {
        let slot = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        match load_slot(&slot) {
            None => return slot,
            Some(saved) if to_canonical_json(&saved) == canonical => return slot,
            Some(_) => continue,
        }
    }
    base
}

/// The exercise id a share link of this slot carries, if it is an exercise's slot.
pub fn link_exercise(slot: &str) -> Option<&str> {
    crate::exercise::id_for_slot(slot)
}

/// Puts a share link (made by the worker) in the address bar and remembers the slot it came
/// from. Returns the whole URL.
pub fn publish(link: &str, slot: &str) -> String {
    let Some(window) = web_sys::window() else {
        return link.to_string();
    };
    let location = window.location();
    let base = format!(
        "{}{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    let url = format!("{base}#{link}");
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    if let Some(storage) = storage() {
        let _ = storage.set_item(&format!("{PREFIX}shared/{}", link_hash(link)), slot);
    }
    url
}

fn shared_from(hash: &str) -> Option<String> {
    storage()?
        .get_item(&format!("{PREFIX}shared/{hash}"))
        .ok()?
}

fn fragment() -> String {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    hash.strip_prefix('#').unwrap_or(&hash).to_string()
}

fn clear_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// A short stable hash of link text (FNV-1a, 64 bits, first 8 hex digits): enough to name a
/// slot, not a security measure.
pub fn link_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.trim_start_matches('#').bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", hash >> 32)
}
