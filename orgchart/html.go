package orgchart

import (
	"bytes"
	"strings"

	"github.com/coproduce/sociocracy/circle"
)

// HTML returns a standalone web page holding the SVG chart ([SVG]) with a
// search box, zoom buttons and panning, for organisations too large to take
// in at once. Typing part of a name highlights every circle whose name, or
// whose leader's or delegate's name, contains it, shows how many match and
// scrolls to the first; the buttons zoom in and out and fit the chart's
// width to the window; the chart pans by dragging or scrolling. The page
// needs no network and no script beyond its own.
func HTML(org *circle.Organisation, opts *Options) []byte {
	svg := SVG(org, opts)
	if i := bytes.Index(svg, []byte("<svg")); i >= 0 {
		svg = svg[i:] // the XML declaration has no place inside HTML
	}
	title := org.Name()
	if opts != nil && opts.Title != "" {
		title = opts.Title
	}
	var b bytes.Buffer
	b.WriteString("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	b.WriteString(esc(title))
	b.WriteString("</title>\n<style>\n")
	b.WriteString(htmlStyle)
	b.WriteString("</style></head>\n<body>\n<header><label for=\"q\">Find a circle or a person</label> <input id=\"q\" type=\"search\" autocomplete=\"off\" placeholder=\"name\">\n" +
		"<span id=\"count\" role=\"status\"></span>\n<span class=\"zoom\"><button id=\"out\" aria-label=\"Zoom out\">−</button><button id=\"fit\">Fit width</button><button id=\"in\" aria-label=\"Zoom in\">+</button></span></header>\n<main id=\"chart\">\n")
	b.Write(svg)
	b.WriteString("</main>\n<script>\n")
	b.WriteString(htmlScript)
	b.WriteString("</script>\n</body></html>\n")
	return b.Bytes()
}

const htmlStyle = `body{margin:0;font-family:Helvetica,Arial,'Liberation Sans',sans-serif;color:#1d3b4f}
header{position:sticky;top:0;z-index:1;display:flex;gap:12px;align-items:center;padding:8px 16px;background:#eef3f7;border-bottom:1px solid #c5d0da;font-size:15px}
input{font-size:15px;padding:4px 8px;width:18em}
button{font-size:15px;padding:3px 10px;margin-left:4px}
.zoom{margin-left:auto}
main{overflow:auto;height:calc(100vh - 48px);cursor:grab}
main.dragging{cursor:grabbing}
main svg{display:block}
g.hit rect.box{stroke:#e8a400;stroke-width:4;fill:#fff4d6}
`

var htmlScript = strings.TrimSpace(`
const chart = document.getElementById('chart'), svg = chart.querySelector('svg');
const q = document.getElementById('q'), count = document.getElementById('count');
const width = svg.width.baseVal.value, height = svg.height.baseVal.value;
let zoom = 1;
function setZoom(z) {
  zoom = Math.min(4, Math.max(0.05, z));
  svg.setAttribute('width', width * zoom);
  svg.setAttribute('height', height * zoom);
}
function fit() { setZoom(Math.min(1, chart.clientWidth / width)); }
document.getElementById('in').onclick = () => setZoom(zoom * 1.25);
document.getElementById('out').onclick = () => setZoom(zoom / 1.25);
document.getElementById('fit').onclick = fit;
q.addEventListener('input', () => {
  const s = q.value.trim().toLowerCase();
  let n = 0, first = null;
  for (const g of svg.querySelectorAll('g[data-search]')) {
    const hit = s !== '' && g.dataset.search.includes(s);
    g.classList.toggle('hit', hit);
    if (hit) { n++; first = first || g; }
  }
  count.textContent = s === '' ? '' : n === 1 ? '1 circle matches' : n + ' circles match';
  if (first) first.scrollIntoView({ block: 'center', inline: 'center' });
});
let drag = null;
chart.addEventListener('pointerdown', (e) => { drag = { x: e.clientX, y: e.clientY, l: chart.scrollLeft, t: chart.scrollTop }; chart.classList.add('dragging'); });
addEventListener('pointermove', (e) => { if (drag) { chart.scrollLeft = drag.l - (e.clientX - drag.x); chart.scrollTop = drag.t - (e.clientY - drag.y); } });
addEventListener('pointerup', () => { drag = null; chart.classList.remove('dragging'); });
fit();
`) + "\n"
