//! The session: what this person is looking at (selection, viewport), messages for them, and
//! the slot their work is saved in. Never saved into the design or a share link.

use eventlab_core::design::Node;
use leptos::prelude::*;

use crate::canvas::geometry::Viewport;

/// A message shown in the banner under the top bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

impl NoticeKind {
    pub fn class(self) -> &'static str {
        match self {
            NoticeKind::Info => "notice info",
            NoticeKind::Error => "notice error",
        }
    }
}

#[derive(Clone, Copy)]
pub struct Session {
    /// Selected node ids.
    pub selection: RwSignal<Vec<String>>,
    pub viewport: RwSignal<Viewport>,
    pub notice: RwSignal<Option<Notice>>,
    /// The link the Share button made, shown in a field to copy by hand.
    pub share_link: RwSignal<Option<String>>,
    /// The localStorage slot the design autosaves into.
    pub slot: RwSignal<String>,
    /// Asks the canvas to fit the design to the view (a counter, so each request is new).
    pub fit_request: RwSignal<u32>,
    /// Nodes copied with Ctrl/Cmd+C.
    pub clipboard: StoredValue<Vec<Node>>,
    /// The left panel is hidden so the canvas gets its width (a projector at 1280 wide).
    pub wide_canvas: RwSignal<bool>,
    /// The keyboard shortcuts overlay is open.
    pub help_open: RwSignal<bool>,
    /// The bottom panel's height in CSS pixels, when the reader has dragged its edge; none
    /// leaves it to the layout.
    pub bottom_height: RwSignal<Option<u32>>,
}

pub fn provide_session(slot: String, notice: Option<Notice>) -> Session {
    let session = Session {
        selection: RwSignal::new(Vec::new()),
        viewport: RwSignal::new(Viewport::default()),
        notice: RwSignal::new(notice),
        share_link: RwSignal::new(None),
        slot: RwSignal::new(slot),
        fit_request: RwSignal::new(0),
        clipboard: StoredValue::new(Vec::new()),
        wide_canvas: RwSignal::new(false),
        help_open: RwSignal::new(false),
        bottom_height: RwSignal::new(None),
    };
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

impl Session {
    pub fn select_only(&self, id: &str) {
        self.selection.set(vec![id.to_string()]);
    }

    pub fn is_selected(&self, id: &str) -> bool {
        self.selection.with(|s| s.iter().any(|x| x == id))
    }

    /// Shows an information message; it goes away by itself after a few seconds.
    pub fn inform(&self, text: impl Into<String>) {
        let notice = Notice {
            kind: NoticeKind::Info,
            text: text.into(),
        };
        self.notice.set(Some(notice.clone()));
        let slot = self.notice;
        set_timeout(
            move || {
                if slot.get_untracked().as_ref() == Some(&notice) {
                    slot.set(None);
                }
            },
            std::time::Duration::from_secs(6),
        );
    }

    pub fn warn(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            kind: NoticeKind::Error,
            text: text.into(),
        }));
    }

    pub fn request_fit(&self) {
        self.fit_request.update(|n| *n = n.wrapping_add(1));
    }
}
