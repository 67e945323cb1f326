// Accessibility and layout of every page type, in Debian's Chromium through
// puppeteer-core (no browser download): axe-core must report no serious or
// critical violation, and at 1280 px and 400 px the page body must not be wider
// than the window (nothing cut off, no sideways scrolling).
//
//   node tests/browser/axe.cjs BASE NAME=PATH...
// Needs axe-core and puppeteer-core resolvable (check.sh installs them under
// target/node-axe and sets NODE_PATH).
const puppeteer = require("puppeteer-core");
const fs = require("fs");

const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [base, ...pages] = process.argv.slice(2);
const widths = [1280, 400];

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
    headless: true,
  });
  let failed = 0;
  try {
    for (const spec of pages) {
      const eq = spec.indexOf("=");
      const name = spec.slice(0, eq);
      const path = spec.slice(eq + 1);
      for (const width of widths) {
        const page = await browser.newPage();
        await page.setViewport({ width, height: 900 });
        const resp = await page.goto(base + path, { waitUntil: "load" });
        const status = resp ? resp.status() : 0;
        if (status >= 500) {
          console.log(`FAIL ${name} @${width}: HTTP ${status}`);
          failed++;
        }
        const overflow = await page.evaluate(() => {
          const doc = document.documentElement;
          const over = doc.scrollWidth - doc.clientWidth;
          if (over <= 1) return null;
          // name the widest elements, to say what to fix
          const wide = [...document.body.querySelectorAll("*")]
            .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 1)
            .filter((e) => !e.closest(".table-wrap"))
            .slice(0, 3)
            .map((e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ")[0] : ""));
          return `${over}px too wide (${wide.join(", ")})`;
        });
        if (overflow) {
          console.log(`FAIL ${name} @${width}: page body overflows: ${overflow}`);
          failed++;
        }
        await page.evaluate(axeSource);
        const result = await page.evaluate(async () =>
          // eslint-disable-next-line no-undef
          axe.run(document, { resultTypes: ["violations"] })
        );
        const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        for (const v of bad) {
          const where = v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(" "))
            .join(" | ");
          console.log(`FAIL ${name} @${width}: axe ${v.impact} ${v.id}: ${v.help} — ${where}`);
          failed++;
        }
        if (!overflow && bad.length === 0) console.log(`ok   ${name} @${width}: axe clean, no overflow`);
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
