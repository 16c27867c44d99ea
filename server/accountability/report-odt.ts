/**
 * The Cabinet / partnership-board report (board-report.ts) as an OpenDocument text file (.odt),
 * for organisations that require open formats: the same blocks as the Word file, written as ODF
 * 1.3 by hand (content.xml, styles.xml, meta.xml and the manifest in a zip whose first entry is
 * the uncompressed mimetype). Headings are Heading 1-3 with outline levels; the contents is a
 * real table-of-content index (LibreOffice: Tools > Update refreshes its page numbers); the
 * header and footer are on the master page, with page-number and page-count fields; table header
 * rows are table:table-header-rows, which repeat on every page.
 *
 * Pure: (delivery, meta) in, Buffer out, so it can run in a worker thread.
 */
import JSZip from "jszip";
import { boardReportModel, type Block, type RenderedReport, type Run, type ReportMeta } from "./board-report";
import type { Delivery } from "./delivery";

export const ODT_MIME = "application/vnd.oasis.opendocument.text";

const NS = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
  'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"',
  'xmlns:xlink="http://www.w3.org/1999/xlink"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"',
  'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"',
].join(" ");

/** Characters XML 1.0 cannot carry are dropped: a stray control character must not break the file. */
function esc(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** Text content: ODF collapses white space, so kept spaces, tabs and line breaks are elements. */
function textContent(s: string): string {
  return esc(s)
    .replace(/\t/g, "<text:tab/>")
    .replace(/\r?\n/g, "<text:line-break/>")
    .replace(/ {2,}/g, (m) => ` <text:s text:c="${m.length - 1}"/>`)
    .replace(/^ /, "<text:s/>");
}

const RAG_STYLE = { red: "RAG_20_Red", amber: "RAG_20_Amber", green: "RAG_20_Green" } as const;

function spans(runs: readonly Run[]): string {
  return runs
    .map((r) => {
      const style = r.rag ? RAG_STYLE[r.rag] : r.bold && r.italic ? "Bold_20_Italic" : r.bold ? "Bold" : r.italic ? "Italic" : null;
      const body = textContent(r.rag ? `\u00a0${r.text}\u00a0` : r.text);
      return style ? `<text:span text:style-name="${style}">${body}</text:span>` : body;
    })
    .join("");
}

interface Ctx {
  tables: number;
  headings: { level: number; text: string; ref: string }[];
  columnStyles: Map<string, string>;
}

function renderBlock(block: Block, ctx: Ctx, first: boolean): string {
  switch (block.kind) {
    case "cover": {
      const rows = block.rows
        .map(
          ([label, value]) =>
            `<table:table-row><table:table-cell table:style-name="Cell_Head" office:value-type="string"><text:p text:style-name="Table_20_Heading">${textContent(label)}</text:p></table:table-cell><table:table-cell table:style-name="Cell" office:value-type="string"><text:p text:style-name="Table_20_Contents">${textContent(value)}</text:p></table:table-cell></table:table-row>`,
        )
        .join("");
      const cols = columnStyle(ctx, [30, 70]);
      ctx.tables += 1;
      return (
        `<text:p text:style-name="${first ? "P_Cover_First" : "Cover_20_Partnership"}">${textContent(block.partnership)}</text:p>` +
        `<text:p text:style-name="Title">${textContent(block.title)}</text:p>` +
        `<text:p text:style-name="Subtitle">${textContent(block.subtitle)}</text:p>` +
        `<table:table table:name="Cover" table:style-name="Tbl">${cols}${rows}</table:table>`
      );
    }
    case "contents":
      return "\u0000CONTENTS\u0000";
    case "heading": {
      const ref = `__RefHeading__${ctx.headings.length + 1}`;
      ctx.headings.push({ level: block.level, text: block.text, ref });
      return `<text:h text:style-name="Heading_20_${block.level}" text:outline-level="${block.level}"><text:bookmark-start text:name="${ref}"/>${textContent(block.text)}<text:bookmark-end text:name="${ref}"/></text:h>`;
    }
    case "paragraph": {
      const style = block.style === "quote" ? "Agreed_20_Wording" : block.style === "note" ? "Note" : "Text_20_body";
      return `<text:p text:style-name="${first ? "P_Cover_First" : style}">${spans(block.runs)}</text:p>`;
    }
    case "bullets":
      return `<text:list text:style-name="Bullets">${block.items
        .map((item) => `<text:list-item><text:p text:style-name="List_20_Bullet">${spans(item)}</text:p></text:list-item>`)
        .join("")}</text:list>`;
    case "table": {
      ctx.tables += 1;
      const cols = columnStyle(ctx, block.widths);
      const head = `<table:table-header-rows><table:table-row>${block.header
        .map((h) => `<table:table-cell table:style-name="Cell_Head" office:value-type="string"><text:p text:style-name="Table_20_Heading">${textContent(h)}</text:p></table:table-cell>`)
        .join("")}</table:table-row></table:table-header-rows>`;
      const rows = block.rows
        .map(
          (row) =>
            `<table:table-row>${row
              .map((c) => `<table:table-cell table:style-name="Cell" office:value-type="string"><text:p text:style-name="Table_20_Contents">${spans(c)}</text:p></table:table-cell>`)
              .join("")}</table:table-row>`,
        )
        .join("");
      return `<table:table table:name="Table${ctx.tables}" table:style-name="Tbl">${cols}${head}${rows}</table:table>`;
    }
    case "pagebreak":
      return `<text:p text:style-name="P_Break"/>`;
  }
}

/** Column elements for the given percentages; each distinct width gets one automatic style. */
function columnStyle(ctx: Ctx, widths: readonly number[]): string {
  return widths
    .map((w) => {
      const key = String(w);
      if (!ctx.columnStyles.has(key)) ctx.columnStyles.set(key, `Col${ctx.columnStyles.size + 1}`);
      return `<table:table-column table:style-name="${ctx.columnStyles.get(key)}"/>`;
    })
    .join("");
}

function contentsIndex(headings: Ctx["headings"]): string {
  const template = (level: number) =>
    `<text:table-of-content-entry-template text:outline-level="${level}" text:style-name="Contents_20_${level}"><text:index-entry-link-start text:style-name="Index_20_Link"/><text:index-entry-text/><text:index-entry-tab-stop style:type="right" style:leader-char="."/><text:index-entry-page-number/><text:index-entry-link-end/></text:table-of-content-entry-template>`;
  const entries = headings
    .filter((h) => h.level <= 2)
    .map(
      (h) =>
        `<text:p text:style-name="Contents_20_${h.level}"><text:a xlink:type="simple" xlink:href="#${h.ref}" text:style-name="Index_20_Link" text:visited-style-name="Index_20_Link">${textContent(h.text)}</text:a></text:p>`,
    )
    .join("");
  return (
    `<text:table-of-content text:style-name="Sect_Contents" text:protected="true" text:name="Contents">` +
    `<text:table-of-content-source text:outline-level="2" text:use-index-marks="false"><text:index-title-template text:style-name="Contents_20_Heading">Contents</text:index-title-template>${template(1)}${template(2)}</text:table-of-content-source>` +
    `<text:index-body><text:index-title text:style-name="Sect_Contents" text:name="Contents_Head"><text:p text:style-name="Contents_20_Heading">Contents</text:p></text:index-title>${entries}</text:index-body>` +
    `</text:table-of-content>`
  );
}

function contentXml(report: RenderedReport): string {
  const ctx: Ctx = { tables: 0, headings: [], columnStyles: new Map() };
  const body = report.blocks.map((b, i) => renderBlock(b, ctx, i === 0)).join("");
  const withContents = body.replace("\u0000CONTENTS\u0000", contentsIndex(ctx.headings));
  const columns = [...ctx.columnStyles]
    .map(([w, name]) => `<style:style style:name="${name}" style:family="table-column"><style:table-column-properties style:rel-column-width="${Number(w) * 100}*" style:column-width="${((17 * Number(w)) / 100).toFixed(2)}cm"/></style:style>`)
    .join("");
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<office:document-content ${NS} office:version="1.3">` +
    `<office:automatic-styles>` +
    `<style:style style:name="P_Cover_First" style:family="paragraph" style:parent-style-name="Cover_20_Partnership" style:master-page-name="First_20_Page"/>` +
    `<style:style style:name="P_Break" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:break-before="page"/></style:style>` +
    `<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="17cm" table:align="margins" fo:margin-top="0.1cm" fo:margin-bottom="0.3cm"/></style:style>` +
    columns +
    `<style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #b1b4b6"/></style:style>` +
    `<style:style style:name="Cell_Head" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #b1b4b6" fo:background-color="#f3f2f1"/></style:style>` +
    `<style:style style:name="Sect_Contents" style:family="section"><style:section-properties style:editable="false"/></style:style>` +
    `</office:automatic-styles>` +
    `<office:body><office:text>${withContents}</office:text></office:body></office:document-content>`
  );
}

function stylesXml(report: RenderedReport): string {
  const para = (name: string, display: string, props: string, text = "", extra = "") =>
    `<style:style style:name="${name}" style:display-name="${display}" style:family="paragraph" ${extra}><style:paragraph-properties ${props}/>${text ? `<style:text-properties ${text}/>` : ""}</style:style>`;
  const heading = (level: number, size: string, before: string) =>
    `<style:style style:name="Heading_20_${level}" style:display-name="Heading ${level}" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="${level}" style:class="text"><style:paragraph-properties fo:margin-top="${before}" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/><style:text-properties fo:font-size="${size}" fo:font-weight="bold"/></style:style>`;
  const rag = (name: string, display: string, bg: string, fg: string) =>
    `<style:style style:name="${name}" style:display-name="${display}" style:family="text"><style:text-properties fo:font-weight="bold" fo:color="${fg}" fo:background-color="${bg}"/></style:style>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<office:document-styles ${NS} office:version="1.3">` +
    `<office:font-face-decls><style:font-face style:name="Arial" svg:font-family="Arial" style:font-family-generic="swiss"/></office:font-face-decls>` +
    `<office:styles>` +
    `<style:default-style style:family="paragraph"><style:paragraph-properties fo:hyphenation-ladder-count="no-limit"/><style:text-properties style:font-name="Arial" fo:font-size="11pt" fo:language="en" fo:country="GB"/></style:default-style>` +
    para("Standard", "Standard", 'fo:margin-bottom="0.15cm"', "", 'style:class="text"') +
    para("Text_20_body", "Text body", 'fo:margin-top="0cm" fo:margin-bottom="0.2cm" fo:line-height="115%"', "", 'style:parent-style-name="Standard" style:class="text"') +
    para("Heading", "Heading", 'fo:margin-top="0.4cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"', 'style:font-name="Arial" fo:font-size="14pt"', 'style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:class="text"') +
    heading(1, "16pt", "0.6cm") +
    heading(2, "13pt", "0.45cm") +
    heading(3, "12pt", "0.35cm") +
    para("Title", "Title", 'fo:margin-bottom="0.3cm"', 'fo:font-size="26pt" fo:font-weight="bold"', 'style:parent-style-name="Standard" style:next-style-name="Subtitle" style:class="chapter"') +
    para("Subtitle", "Subtitle", 'fo:margin-bottom="1cm"', 'fo:font-size="16pt"', 'style:parent-style-name="Standard" style:class="chapter"') +
    para("Cover_20_Partnership", "Cover Partnership", 'fo:margin-top="3cm" fo:margin-bottom="0.5cm"', 'fo:font-size="14pt"', 'style:parent-style-name="Standard"') +
    para("Agreed_20_Wording", "Agreed Wording", 'fo:margin-left="1cm" fo:margin-bottom="0.2cm" fo:border-left="1.5pt solid #b1b4b6" fo:padding-left="0.25cm"', "", 'style:parent-style-name="Text_20_body"') +
    para("Note", "Note", 'fo:margin-bottom="0.2cm"', 'fo:font-style="italic"', 'style:parent-style-name="Text_20_body"') +
    para("List_20_Bullet", "List Bullet", 'fo:margin-bottom="0.1cm"', "", 'style:parent-style-name="Text_20_body" style:class="list"') +
    para("Table_20_Contents", "Table Contents", 'fo:margin-bottom="0cm"', 'fo:font-size="10pt"', 'style:parent-style-name="Standard" style:class="extra"') +
    para("Table_20_Heading", "Table Heading", 'fo:margin-bottom="0cm"', 'fo:font-size="10pt" fo:font-weight="bold"', 'style:parent-style-name="Table_20_Contents" style:class="extra"') +
    para("Contents_20_Heading", "Contents Heading", 'fo:margin-bottom="0.4cm"', 'fo:font-size="16pt" fo:font-weight="bold"', 'style:parent-style-name="Heading" style:class="index"') +
    `<style:style style:name="Contents_20_1" style:display-name="Contents 1" style:family="paragraph" style:parent-style-name="Standard" style:class="index"><style:paragraph-properties fo:margin-left="0cm"><style:tab-stops><style:tab-stop style:position="17cm" style:type="right" style:leader-style="dotted" style:leader-text="."/></style:tab-stops></style:paragraph-properties></style:style>` +
    `<style:style style:name="Contents_20_2" style:display-name="Contents 2" style:family="paragraph" style:parent-style-name="Standard" style:class="index"><style:paragraph-properties fo:margin-left="0.5cm"><style:tab-stops><style:tab-stop style:position="16.5cm" style:type="right" style:leader-style="dotted" style:leader-text="."/></style:tab-stops></style:paragraph-properties></style:style>` +
    para("Header", "Header", 'fo:margin-bottom="0cm"', 'fo:font-size="9pt" fo:color="#505a5f"', 'style:parent-style-name="Standard" style:class="extra"') +
    para("Footer", "Footer", 'fo:text-align="center" fo:margin-bottom="0cm"', 'fo:font-size="9pt"', 'style:parent-style-name="Standard" style:class="extra"') +
    `<style:style style:name="Bold" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>` +
    `<style:style style:name="Italic" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>` +
    `<style:style style:name="Bold_20_Italic" style:display-name="Bold Italic" style:family="text"><style:text-properties fo:font-weight="bold" fo:font-style="italic"/></style:style>` +
    `<style:style style:name="Index_20_Link" style:display-name="Index Link" style:family="text"/>` +
    rag("RAG_20_Red", "RAG Red", "#d4351c", "#ffffff") +
    rag("RAG_20_Amber", "RAG Amber", "#ffdd00", "#0b0c0c") +
    rag("RAG_20_Green", "RAG Green", "#00703c", "#ffffff") +
    `<text:list-style style:name="Bullets"><text:list-level-style-bullet text:level="1" text:bullet-char="•"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.635cm" fo:text-indent="-0.635cm" fo:margin-left="0.635cm"/></style:list-level-properties></text:list-level-style-bullet></text:list-style>` +
    `<text:outline-style style:name="Outline">${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((l) => `<text:outline-level-style text:level="${l}" style:num-format=""/>`).join("")}</text:outline-style>` +
    `</office:styles>` +
    `<office:automatic-styles>` +
    `<style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm"/><style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.4cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.4cm"/></style:footer-style></style:page-layout>` +
    `</office:automatic-styles>` +
    `<office:master-styles>` +
    `<style:master-page style:name="Standard" style:page-layout-name="A4">` +
    `<style:header><text:p text:style-name="Header">${textContent(report.header)}</text:p></style:header>` +
    `<style:footer><text:p text:style-name="Footer">${textContent(`${report.footer} · Page `)}<text:page-number text:select-page="current">1</text:page-number> of <text:page-count>1</text:page-count></text:p></style:footer>` +
    `</style:master-page>` +
    // The cover has neither header nor footer; the page after it goes back to the standard one.
    `<style:master-page style:name="First_20_Page" style:display-name="First Page" style:page-layout-name="A4" style:next-style-name="Standard"/>` +
    `</office:master-styles>` +
    `</office:document-styles>`
  );
}

function metaXml(report: RenderedReport): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<office:document-meta ${NS} office:version="1.3"><office:meta>` +
    `<dc:title>${esc(report.title)}</dc:title><dc:description>${esc(report.description)}</dc:description><meta:initial-creator>${esc(report.author)}</meta:initial-creator>` +
    `<meta:generator>Co-design Workspace</meta:generator>` +
    `</office:meta></office:document-meta>`
  );
}

const MANIFEST =
  `<?xml version="1.0" encoding="UTF-8"?>` +
  `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` +
  `<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="${ODT_MIME}"/>` +
  `<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>` +
  `<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>` +
  `<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>` +
  `</manifest:manifest>`;

export async function odtFromModel(report: RenderedReport): Promise<Buffer> {
  const zip = new JSZip();
  // ODF: the mimetype is the first entry, stored uncompressed, so tools can sniff the type.
  zip.file("mimetype", ODT_MIME, { compression: "STORE" });
  zip.file("META-INF/manifest.xml", MANIFEST);
  zip.file("content.xml", contentXml(report));
  zip.file("styles.xml", stylesXml(report));
  zip.file("meta.xml", metaXml(report));
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 6 } });
}

export async function buildBoardReportOdt(delivery: Delivery, meta: ReportMeta): Promise<Buffer> {
  return odtFromModel(boardReportModel(delivery, meta));
}
