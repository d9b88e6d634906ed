// PostCSS plugin (issue 20 §13): drops the parts of Radix Themes' full stylesheet this app cannot use.
// Installed into the frontend build by interview_app/ui/radix_css_trim.py; runs after postcss-import
// has inlined @radix-ui/themes/styles.css, on the compiled pages Reflex wrote into .web.
//
// Three families are dropped, each judged from the compiled page code (.web/app, .web/components,
// .web/utils and the shared JSX under .web/public), so a page that starts using one brings it back:
// - rules of components no page imports: the pages import `{Button, Card, ...} from "@radix-ui/themes"`;
//   the classes those components (and what they import inside Radix) put on elements are kept,
//   a rule naming any other Radix component class (`.rt-SegmentedControlItem`) is dropped;
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

const RADIX_IMPORT = /import\s*\{([^}]*)\}\s*from\s*"@radix-ui\/themes"/g;
const COMPONENT_CLASS = /rt-[A-Z][A-Za-z]*/g;
const kebab = (name) => name.replace(/[a-z0-9][A-Z]/g, (pair) => `${pair[0]}-${pair[1]}`).toLowerCase();

// The component classes the pages can put on elements, or null (keep every component) when a
// page imports something this cannot follow.
function usedComponentClasses(code, webDir) {
  const components = path.join(webDir, "node_modules", "@radix-ui", "themes", "dist", "esm", "components");
  const classes = new Set(code.match(COMPONENT_CLASS) ?? []);
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(file, "utf8");
    for (const name of text.match(COMPONENT_CLASS) ?? []) classes.add(name);
    for (const match of text.matchAll(/from\s*"(\.{1,2}\/[^"]+\.js)"/g)) visit(path.resolve(path.dirname(file), match[1]));
  };
  for (const match of code.matchAll(RADIX_IMPORT)) {
    for (const specifier of match[1].split(",")) {
      const name = specifier.trim().split(/\s+as\s+/)[0];
      if (!name) continue;
      const file = path.join(components, `${kebab(name)}.js`);
      if (!fs.existsSync(file)) return null;
      visit(file);
    }
  }
  return classes;
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
    if (PALETTES.includes(decl.prop.match(/^--([a-z]+)-/)?.[1])) return; // a palette's own tokens
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
    const components = usedComponentClasses(code, webDir);
    const usedSelector = (selector) =>
      components === null || (selector.match(COMPONENT_CLASS) ?? []).every((name) => components.has(name));
    const droppedPrefix = BREAKPOINTS.filter((bp) => !breakpoints.has(bp)).map((bp) => `.${bp}\\:`);
    const droppedPalette = PALETTES.filter((name) => !palettes.has(name));
    const tokenOf = new RegExp(`^--(${droppedPalette.join("|") || "$^"})-`);
    const accentOf = new RegExp(`data-accent-color='(${droppedPalette.join("|") || "$^"})'`);

    root.walkRules((rule) => {
      if (droppedPrefix.some((prefix) => rule.selector.includes(prefix))) {
        rule.remove();
        return;
      }
      if (accentOf.test(rule.selector) || !usedSelector(rule.selector)) {
        const kept = rule.selectors.filter((selector) => !accentOf.test(selector) && usedSelector(selector));
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
      components: components === null ? "all" : components.size,
    });
  },
});
radixCssTrim.postcss = true;

export default radixCssTrim;
