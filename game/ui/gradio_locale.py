"""Gradio's own texts in the page's language.

Gradio's frontend translates its built-in texts ("Record", "Stop", "Drop File Here – or – Click to
Upload" …) itself, Swedish included, in a locale it takes from the browser (`navigator.language`)
when the page loads; the app cannot choose it (`gr.I18n` only adds texts, the locale stays the
browser's). Its `changeLocale`, which Gradio's own Settings panel calls, is exported by the
frontend's core module, so the page calls it too: when it loads (with the language the browser kept,
before any component with such texts is shown) and each time the learner switches language.

A component takes its texts when it first appears and keeps them (even Gradio's own Settings panel
leaves them as they were), so on a switch the page hides the components that have such texts and
shows them again once the locale has changed: they appear anew, in the new language.
"""

from pathlib import Path

import gradio

from game.texts import DEFAULT

STORAGE_KEY = "sagdet-gradio-locale"


def core_module_name() -> str:
    """The installed Gradio's frontend core module ("core-Bdx9080F.js"; its name changes with each
    Gradio release), or "" when it cannot be told."""
    found = list((Path(gradio.__file__).parent / "templates" / "frontend" / "assets").glob("core-*.js"))
    return found[0].name if len(found) == 1 else ""


CORE_MODULE = core_module_name()


# A head script: the locale the page had last time at once (the page's own stored language is only
# known to the server), then `window.sagdetGradioLocale(lang)` for the events below.
LOCALE_JS = f"""
<script>
(() => {{
  const key = "{STORAGE_KEY}";
  // Gradio's core module, which the page's own module script imports from its folder: importing the
  // same URL gives the same module. Found by name, or else among the files the page has loaded (a
  // page whose clock is faked, as in tests, has no record of those).
  function coreUrl() {{
    const index = document.querySelector('script[type="module"][src*="/assets/index-"]');
    if (index && "{CORE_MODULE}") return new URL("{CORE_MODULE}", index.src).href;
    return performance.getEntriesByType("resource").map((entry) => entry.name)
      .find((name) => /\\/assets\\/core-[\\w-]+\\.js$/.test(name));
  }}
  async function setLocale(lang) {{
    const core = coreUrl();
    try {{
      const module = core && (await import(core));
      if (!module || typeof module.changeLocale !== "function") {{
        console.warn("säg det: Gradio's changeLocale was not found; its texts follow the browser");
        return;
      }}
      module.changeLocale(lang);
      // The new locale's texts load first; then Gradio marks the page with it.
      for (let i = 0; i < 100 && document.documentElement.lang !== lang; i++) {{
        await new Promise((resolve) => setTimeout(resolve, 20));
      }}
    }} catch (error) {{
      console.warn("säg det: Gradio's texts follow the browser", error);
    }}
  }}
  window.sagdetGradioLocale = (lang) => {{
    if (!lang) return;
    try {{ localStorage.setItem(key, lang); }} catch (error) {{}}
    return setLocale(lang);
  }};
  let kept = null;
  try {{ kept = localStorage.getItem(key); }} catch (error) {{}}
  setLocale(kept || "{DEFAULT}");
}})();
</script>
"""

# For an event that has the page's language as its one input: Gradio's texts follow it (the
# event's next step waits until they have).
FOLLOW_JS = "async (lang) => { if (window.sagdetGradioLocale) await window.sagdetGradioLocale(lang); }"
