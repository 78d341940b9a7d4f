/** The downloadable past-figures template: the columns the reader expects, with an example row. */
import ExcelJS from 'exceljs';
import { FIGURE_COLUMNS, FIGURES_SHEET } from './past-figures-template';

/** An XLSX workbook: the Figures sheet with an example row, and a Columns sheet saying what goes where. */
export async function pastFiguresTemplateXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Quarterly';
  const sheet = workbook.addWorksheet(FIGURES_SHEET);
  sheet.columns = FIGURE_COLUMNS.map((column) => ({ header: column.name, key: column.name, width: Math.max(12, column.name.length + 2) }));
  sheet.addRow(Object.fromEntries(FIGURE_COLUMNS.map((column) => [column.name, column.example])));
  sheet.getRow(1).font = { bold: true };
  // Every cell is text: "27.30" keeps its zero, a date stays as typed.
  for (let index = 1; index <= FIGURE_COLUMNS.length; index += 1) sheet.getColumn(index).numFmt = '@';
  const guide = workbook.addWorksheet('Columns');
  guide.columns = [
    { header: 'column', key: 'column', width: 28 },
    { header: 'required', key: 'required', width: 10 },
    { header: 'what goes in it', key: 'description', width: 110 },
  ];
  guide.getRow(1).font = { bold: true };
  for (const column of FIGURE_COLUMNS) guide.addRow({ column: column.name, required: column.required ? 'yes' : '', description: column.description });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The same as a CSV file. */
export function pastFiguresTemplateCsv(): string {
  const quote = (text: string) => (/[",\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return `${FIGURE_COLUMNS.map((c) => c.name).join(',')}\r\n${FIGURE_COLUMNS.map((c) => quote(c.example)).join(',')}\r\n`;
}
