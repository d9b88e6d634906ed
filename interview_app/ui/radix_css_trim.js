// PostCSS plugin (issue 20 §13): drops the parts of Radix Themes' full stylesheet this app cannot use.
// Installed into the frontend build by interview_app/ui/radix_css_trim.py; runs after postcss-import
// has inlined @radix-ui/themes/styles.css, on the compiled pages Reflex wrote into .web.
//
// Two families are dropped, each judged from the compiled page code (.web/app, .web/components,
// .web/utils and the shared JSX under .web/public), so a page that starts using one brings it back:
// - responsive variants of a breakpoint no page names: Radix writes `md:rt-r-fd-row` inside
//   `@media (min-width: 1024px)` for a prop given as rx.breakpoints(md=...), i.e. `["md"]` in the page;
// - colour palettes no page names: `--tomato-*` tokens and `[data-accent-color='tomato']` rules,
//   unless "tomato" appears as a string in the page code or as var(--tomato-…) in the app's own CSS.
//   The six grays stay (Radix picks one to match the accent at run time).
// A colour or breakpoint held only in backend state (not written in the page code) is not seen:
// write such props literally.

import fs from "node:fs";
import path from "node:path";

const BREAKPOINTS = ["xs", "sm", "md", "lg", "xl"];
const GRAYS = ["gray", "mauve", "slate", "sage", "olive", "sand"];
const PALETTES = [
  "tomato", "red", "ruby", "crimson", "pink", "plum", "purple", "violet", "iris", "indigo", "blue",
  "cyan", "teal", "jade", "green", "grass", "brown", "orange", "sky", "mint", "lime", "yellow",
  "amber", "gold", "bronze",
];
const SOURCE_DIRS = ["app", "app_components", "components", "utils", "public"];
const SOURCE_FILE = /\.(jsx?|tsx?)$/;

function pageSources(webDir) {
  const texts = [];
  const visit = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (SOURCE_FILE.test(entry.name)) texts.push(fs.readFileSync(full, "utf8"));
    }
  };
  SOURCE_DIRS.forEach((dir) => visit(path.join(webDir, dir)));
  return texts.join("\n");
}

function usedBreakpoints(code) {
  return new Set(BREAKPOINTS.filter((bp) => code.includes(`["${bp}"]`)));
}

function usedPalettes(code, root) {
  const used = new Set(GRAYS);
  for (const name of PALETTES) {
    if (code.includes(`"${name}"`) || code.includes(`'${name}'`)) used.add(name);
  }
  root.walkDecls((decl) => {
    const rule = decl.parent;
    if (rule?.selector?.includes("data-accent-color")) return; // Radix's own accent mapping
    for (const match of decl.value.matchAll(/var\(--([a-z]+)-/g)) {
      if (PALETTES.includes(match[1])) used.add(match[1]);
    }
  });
  return used;
}

const radixCssTrim = (options = {}) => ({
  postcssPlugin: "radix-css-trim",
  Once(root, { result }) {
    const webDir = options.webDir ?? process.cwd();
    const code = pageSources(webDir);
    const breakpoints = usedBreakpoints(code);
    const palettes = usedPalettes(code, root);
    const droppedPrefix = BREAKPOINTS.filter((bp) => !breakpoints.has(bp)).map((bp) => `.${bp}\\:`);
    const droppedPalette = PALETTES.filter((name) => !palettes.has(name));
    const tokenOf = new RegExp(`^--(${droppedPalette.join("|") || "$^"})-`);
    const accentOf = new RegExp(`data-accent-color='(${droppedPalette.join("|") || "$^"})'`);

    root.walkRules((rule) => {
      if (droppedPrefix.some((prefix) => rule.selector.includes(prefix))) {
        rule.remove();
        return;
      }
      if (accentOf.test(rule.selector)) {
        const kept = rule.selectors.filter((selector) => !accentOf.test(selector));
        if (kept.length === 0) {
          rule.remove();
          return;
        }
        rule.selectors = kept;
      }
      rule.walkDecls(tokenOf, (decl) => decl.remove());
      if (rule.nodes.length === 0) rule.remove();
    });
    root.walkAtRules((atRule) => {
      if (atRule.nodes && atRule.nodes.length === 0) atRule.remove();
    });
    result.messages.push({
      type: "radix-css-trim",
      plugin: "radix-css-trim",
      breakpoints: [...breakpoints],
      palettes: [...palettes],
    });
  },
});
radixCssTrim.postcss = true;

export default radixCssTrim;
