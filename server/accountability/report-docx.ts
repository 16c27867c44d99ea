/**
 * The Cabinet / partnership-board report (board-report.ts) written as a Word document with
 * `docx`: real Heading 1-3 styles (with outline levels, so Word's navigation pane and screen
 * readers see the structure), a contents field Word updates on opening, a running header and a
 * footer with PAGE / NUMPAGES fields, and tables whose header row repeats on every page. Only
 * features LibreOffice reads too. Colour is never the only signal: every status is a word.
 *
 * Pure: (delivery, meta) in, Buffer out, so it can run in a worker thread.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { RagColour } from "../../db/schema";
import { boardReportModel, type Block, type RenderedReport, type Run, type ReportMeta } from "./board-report";
import type { Delivery } from "./delivery";

export type { ReportMeta } from "./board-report";

export const RAG_FILL: Record<RagColour, { fill: string; text: string }> = {
  red: { fill: "D4351C", text: "FFFFFF" },
  amber: { fill: "FFDD00", text: "0B0C0C" },
  green: { fill: "00703C", text: "FFFFFF" },
};

const HEADING = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;

function runs(list: readonly Run[]): TextRun[] {
  return list.map((r) =>
    r.rag
      ? new TextRun({
          text: ` ${r.text} `,
          bold: true,
          color: RAG_FILL[r.rag].text,
          shading: { type: ShadingType.CLEAR, fill: RAG_FILL[r.rag].fill, color: "auto" },
        })
      : new TextRun({ text: r.text, bold: r.bold, italics: r.italic }),
  );
}

// Borders are set once per table (cheaper to build than per cell, and the same to the reader).
const line = { style: BorderStyle.SINGLE, size: 4, color: "B1B4B6" };
const tableBorders = { top: line, bottom: line, left: line, right: line, insideHorizontal: line, insideVertical: line };
function cell(content: readonly Run[], opts: { header?: boolean; width?: number } = {}): TableCell {
  return new TableCell({
    width: opts.width ? { size: opts.width, type: WidthType.PERCENTAGE } : undefined,
    shading: opts.header ? { type: ShadingType.CLEAR, fill: "F3F2F1", color: "auto" } : undefined,
    children: [new Paragraph({ children: runs(opts.header ? content.map((r) => ({ ...r, bold: true })) : content) })],
  });
}

function render(block: Block): (Paragraph | Table | TableOfContents)[] {
  switch (block.kind) {
    case "cover":
      return [
        new Paragraph({ children: [new TextRun({ text: block.partnership, size: 28 })], spacing: { before: 1800, after: 300 } }),
        new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun({ text: block.title })] }),
        new Paragraph({ children: [new TextRun({ text: block.subtitle, size: 32 })], spacing: { after: 600 } }),
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          borders: tableBorders,
          rows: block.rows.map(
            ([label, value]) => new TableRow({ cantSplit: true, children: [cell([{ text: label }], { header: true, width: 30 }), cell([{ text: value }], { width: 70 })] }),
          ),
        }),
      ];
    case "contents":
      return [
        new Paragraph({ style: "ContentsHeading", children: [new TextRun({ text: "Contents" })] }),
        new TableOfContents("Contents", { hyperlink: true, headingStyleRange: "1-2" }),
      ];
    case "heading":
      return [new Paragraph({ heading: HEADING[block.level], children: [new TextRun({ text: block.text })] })];
    case "paragraph":
      return [
        new Paragraph({
          style: block.style === "quote" ? "AgreedWording" : undefined,
          children: runs(block.runs),
        }),
      ];
    case "bullets":
      return block.items.map((item) => new Paragraph({ bullet: { level: 0 }, children: runs(item) }));
    case "table":
      return [
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          borders: tableBorders,
          rows: [
            new TableRow({
              tableHeader: true,
              cantSplit: true,
              children: block.header.map((text, i) => cell([{ text }], { header: true, width: block.widths[i] })),
            }),
            ...block.rows.map((row) => new TableRow({ cantSplit: true, children: row.map((c, i) => cell(c, { width: block.widths[i] })) })),
          ],
        }),
        // Word needs a paragraph between two tables, or it merges them.
        new Paragraph({ children: [] }),
      ];
    case "pagebreak":
      return [new Paragraph({ children: [new PageBreak()] })];
  }
}

/** `cover`: the first page is a cover, with no running header or footer. */
export function documentFromModel(report: RenderedReport, opts: { cover?: boolean } = { cover: true }): Document {
  const cover = opts.cover ?? true;
  const heading = (size: number, before: number, outlineLevel: number) => ({
    run: { size, bold: true, color: "0B0C0C", font: "Arial" },
    paragraph: { spacing: { before, after: 120 }, keepNext: true, keepLines: true, outlineLevel },
  });
  return new Document({
    creator: report.author,
    title: report.title,
    description: report.description,
    // Word offers to update the contents field (and page numbers) when it opens the file.
    features: { updateFields: true },
    styles: {
      default: {
        document: { run: { font: "Arial", size: 22 } },
        title: { run: { font: "Arial", size: 52, bold: true } },
        heading1: heading(32, 360, 0),
        heading2: heading(26, 240, 1),
        heading3: heading(24, 200, 2),
      },
      paragraphStyles: [
        { id: "ContentsHeading", name: "Contents Heading", basedOn: "Normal", next: "Normal", run: { size: 32, bold: true }, paragraph: { spacing: { after: 200 } } },
        {
          id: "AgreedWording",
          name: "Agreed Wording",
          basedOn: "Normal",
          next: "Normal",
          quickFormat: true,
          paragraph: { indent: { left: 567 }, border: { left: { style: BorderStyle.SINGLE, size: 12, color: "B1B4B6", space: 8 } }, spacing: { after: 120 } },
        },
      ],
    },
    sections: [
      {
        properties: { titlePage: cover },
        headers: {
          default: new Header({ children: [new Paragraph({ children: [new TextRun({ text: report.header, size: 18, color: "505A5F" })] })] }),
          ...(cover ? { first: new Header({ children: [new Paragraph({ children: [] })] }) } : {}),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ text: `${report.footer} · Page `, size: 18 }),
                  new TextRun({ children: [PageNumber.CURRENT], size: 18 }),
                  new TextRun({ text: " of ", size: 18 }),
                  new TextRun({ children: [PageNumber.TOTAL_PAGES], size: 18 }),
                ],
              }),
            ],
          }),
          ...(cover ? { first: new Footer({ children: [new Paragraph({ children: [] })] }) } : {}),
        },
        children: report.blocks.flatMap(render),
      },
    ],
  });
}

export function buildBoardReportDocument(delivery: Delivery, meta: ReportMeta): Document {
  return documentFromModel(boardReportModel(delivery, meta));
}

export async function buildBoardReport(delivery: Delivery, meta: ReportMeta): Promise<Buffer> {
  return Packer.toBuffer(buildBoardReportDocument(delivery, meta));
}

export const DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

export function reportFileName(planTitle: string, asAt: string, ext: "docx" | "odt" | "pdf" = "docx"): string {
  const slug = planTitle
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  return `${slug}-report-${asAt}.${ext}`;
}
