// Loads pages in the system Chromium and reports what a reader would meet.
//
//   node audit.js jobs.json > results.json
//
// jobs.json: {"pages": [{"path": "/abs/page.html", "width": 1280, "axe": true,
//   "glyphs": true, "positions": true, "screenshot": "/abs/shot.png"}]}
// Each page gets a JSON result with axe's violations, the on-screen order of the
// characters of every left-to-right run in the disclaimer and notices, and the
// positions of the disclaimer, its link and the first sentence of the text.
'use strict';

const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const AXE = require.resolve('axe-core/axe.min.js');
const AXE_VERSION = require('axe-core/package.json').version;
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--hide-scrollbars', '--font-render-hinting=none',
];

// In the page: for each isolated run (and the runs of the same text), whether the
// glyphs of each line are laid out left to right in logical order.
function glyphOrder() {
  const article = document.querySelector('article.painread');
  const scope = article.querySelectorAll(
    '.painread-disclaimer, .painread-notice');
  const runs = [];
  for (const box of scope) {
    for (const run of box.querySelectorAll('bdi, [dir="ltr"]')) {
      const node = run.firstChild;
      if (!node || node.nodeType !== Node.TEXT_NODE) continue;
      const text = node.textContent;
      const range = document.createRange();
      const boxes = [];
      for (let i = 0; i < text.length; i += 1) {
        if (/\s/.test(text[i])) continue;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        boxes.push({i, x: rect.left + rect.width / 2, y: Math.round(rect.top + rect.height / 2)});
      }
      let inOrder = true;
      for (let k = 1; k < boxes.length; k += 1) {
        const a = boxes[k - 1];
        const b = boxes[k];
        if (Math.abs(a.y - b.y) < 4 && !(a.x < b.x)) inOrder = false;
      }
      const visual = boxes.slice().sort((a, b) => (a.y - b.y) || (a.x - b.x))
        .map((box) => text[box.i]).join('');
      runs.push({text, inOrder, visual, where: box.className});
    }
  }
  return runs;
}

function positions() {
  const article = document.querySelector('article.painread');
  const top = (element) => element ? element.getBoundingClientRect().top + window.scrollY : null;
  const visible = (element) => element !== null && element.checkVisibility({
    opacityProperty: true, visibilityProperty: true}) && element.getBoundingClientRect().height > 0;
  const firstText = article.querySelector(
    '.painread-summary p, .painread-section > p');
  const link = article.querySelector('.painread-disclaimer-link a');
  const disclaimer = article.querySelector('.painread-disclaimer');
  const notices = Array.prototype.map.call(
    article.querySelectorAll('.painread-notice'), (notice) => ({
      id: notice.id,
      visible: visible(notice),
      text: notice.innerText,
      height: notice.getBoundingClientRect().height,
    }));
  return {
    articleTop: top(article),
    firstSentence: top(firstText),
    firstSentenceText: firstText ? firstText.innerText.slice(0, 60) : null,
    disclaimerTop: top(disclaimer),
    disclaimerVisible: visible(disclaimer),
    linkTop: top(link),
    linkVisible: visible(link),
    linkTarget: link ? link.getAttribute('href') : null,
    notices,
    scrollWidth: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
  };
}

async function main() {
  const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
  });
  const axeSource = fs.readFileSync(AXE, 'utf8');
  const results = [];
  try {
    const page = await browser.newPage();
    for (const job of jobs.pages) {
      await page.setViewport({width: job.width, height: job.height || 900});
      await page.goto('file://' + path.resolve(job.path), {waitUntil: 'load'});
      const result = {path: job.path, width: job.width};
      if (job.axe) {
        await page.evaluate(axeSource);
        const report = await page.evaluate(async (tags) => {
          // eslint-disable-next-line no-undef
          const found = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
          return found.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
          }));
        }, TAGS);
        result.violations = report;
      }
      if (job.glyphs) result.glyphs = await page.evaluate(glyphOrder);
      if (job.positions) result.positions = await page.evaluate(positions);
      if (job.screenshot) {
        fs.mkdirSync(path.dirname(job.screenshot), {recursive: true});
        await page.screenshot({path: job.screenshot, fullPage: job.fullPage !== false});
      }
      results.push(result);
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({axe: AXE_VERSION, tags: TAGS, results}));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + '\n');
  process.exit(1);
});
