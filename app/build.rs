//! Generates the `i18n` module from `locales/` (leptos_i18n), after
//! checking that the three languages have the same keys and placeholders:
//! a missing translation fails the build, not the page.

#[path = "src/catalogue_check.rs"]
mod catalogue_check;

use std::path::PathBuf;

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let locales = manifest.join("locales");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/catalogue_check.rs");
    println!("cargo::rerun-if-changed=locales");
    if let Err(problems) = catalogue_check::check(&locales) {
        for problem in &problems {
            println!("cargo::error={problem}");
        }
        std::process::exit(1);
    }
    let config = Config::new("en")
        .and_then(|config| config.add_locales(["da", "de"]))
        .and_then(|config| config.add_namespaces(catalogue_check::NAMESPACES))
        // Messages with placeholders are also needed as plain strings
        // (attributes, downloads, texts built outside components).
        .map(|config| config.parse_options(ParseOptions::new().interpolate_display(true)))
        .expect("the locales and namespaces are valid names");
    let translations = TranslationsInfos::parse(config).expect("the catalogues parse");
    translations.rerun_if_locales_changed();
    translations.emit_diagnostics();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    translations.generate_i18n_module(out.join("i18n")).expect("the i18n module is written");
}
