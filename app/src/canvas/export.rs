//! Pictures of the design: the canvas's world layer as a standalone SVG (with the colours
//! written in, so it looks the same outside the app), and a PNG drawn from that SVG.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Light colours written into exported pictures, whatever theme the app shows.
const PICTURE_STYLE: &str = "
text { font-family: 'Segoe UI', system-ui, sans-serif; }
.node-box { fill: #ffffff; stroke: #c3c8d4; stroke-width: 1.5; }
.node-icon-box { fill: #e66a00; }
.kind-bus .node-icon-box { fill: #c2185b; } .kind-queue .node-icon-box { fill: #d81b60; }
.kind-table .node-icon-box { fill: #3f51b5; } .kind-stateMachine .node-icon-box { fill: #ad1457; }
.kind-externalApi .node-icon-box { fill: #546e7a; } .kind-producer .node-icon-box { fill: #2e7d32; }
.kind-pipe .node-icon-box { fill: #8e24aa; }
.service-0 { --c: #3b82f6; } .service-1 { --c: #16a34a; } .service-2 { --c: #d97706; } .service-3 { --c: #9333ea; }
.service-4 { --c: #0891b2; } .service-5 { --c: #dc2626; } .service-6 { --c: #65a30d; } .service-7 { --c: #db2777; }
.node-service-bar { fill: var(--c, transparent); }
.node-icon { fill: #ffffff; font-size: 22px; }
.node-kind { fill: #545b6b; font-size: 11px; font-weight: 700; letter-spacing: 0.08em; }
.node-name { fill: #161a23; font-size: 16px; font-weight: 700; }
.node-id { fill: #545b6b; font-size: 12px; }
.node-badge circle { fill: #c62f3c; } .node-badge text { fill: #fff; font-size: 13px; font-weight: 700; }
.connect-handle { display: none; }
.edge-line { fill: none; stroke: #7b8294; stroke-width: 2; }
.edge-failure .edge-line { stroke-dasharray: 6 5; }
.edge-label { fill: #2a2f3a; font-size: 13px; text-anchor: middle; paint-order: stroke; stroke: #f4f5f8; stroke-width: 5px; }
.arrow-head { fill: #7b8294; }
.service-group rect { fill: #eef0f5; stroke: var(--c, #d5d9e2); stroke-dasharray: 5 4; }
.service-group text { fill: var(--c, #545b6b); font-size: 14px; font-weight: 700; }
";

fn world_layer() -> Option<(String, (f64, f64, f64, f64))> {
    let document = web_sys::window()?.document()?;
    let world = document.query_selector(".canvas-svg .world").ok()??;
    let graphics: web_sys::SvgGraphicsElement = world.clone().dyn_into().ok()?;
    let bbox = graphics.get_b_box().ok()?;
    if bbox.width() <= 0.0 {
        return None;
    }
    Some((
        world.inner_html(),
        (
            f64::from(bbox.x()),
            f64::from(bbox.y()),
            f64::from(bbox.width()),
            f64::from(bbox.height()),
        ),
    ))
}

/// The design as an SVG document, or `None` when there is nothing drawn.
pub fn svg_text() -> Option<String> {
    let (inner, (x, y, width, height)) = world_layer()?;
    let margin = 24.0;
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{} {} {} {}\" width=\"{}\" height=\"{}\">\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" \
         markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" \
         class=\"arrow-head\"/></marker></defs><style>{PICTURE_STYLE}</style>\
         <rect x=\"{}\" y=\"{}\" width=\"100%\" height=\"100%\" fill=\"#f4f5f8\"/>{inner}</svg>",
        x - margin,
        y - margin,
        width + 2.0 * margin,
        height + 2.0 * margin,
        (width + 2.0 * margin).ceil(),
        (height + 2.0 * margin).ceil(),
        x - margin,
        y - margin,
    ))
}

/// Draws the SVG into a canvas at twice its size and downloads it as a PNG.
pub fn download_png(file_name: &str) -> bool {
    let Some(svg) = svg_text() else {
        return false;
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Ok(image) = web_sys::HtmlImageElement::new() else {
        return false;
    };
    let source = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&svg))
    );
    let file_name = file_name.to_string();
    let loaded = image.clone();
    let on_load = Closure::once_into_js(move || {
        let scale = 2.0;
        let width = f64::from(loaded.natural_width()) * scale;
        let height = f64::from(loaded.natural_height()) * scale;
        let Ok(element) = document.create_element("canvas") else {
            return;
        };
        let Ok(canvas) = element.dyn_into::<web_sys::HtmlCanvasElement>() else {
            return;
        };
        canvas.set_width(width as u32);
        canvas.set_height(height as u32);
        let Some(context) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let _ = context
            .draw_image_with_html_image_element_and_dw_and_dh(&loaded, 0.0, 0.0, width, height);
        if let Ok(url) = canvas.to_data_url_with_type("image/png") {
            let _ = crate::browser::download_url(&file_name, &url);
        }
    });
    image.set_onload(Some(on_load.unchecked_ref()));
    image.set_src(&source);
    true
}
