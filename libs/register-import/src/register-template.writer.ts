/** The downloadable template: the same columns the reader expects, with an example row. */
import ExcelJS from 'exceljs';
import { KPI_COLUMNS, KPI_SHEET, PEOPLE_COLUMNS, PEOPLE_SHEET, TARGET_COLUMNS, TARGETS_SHEET, type TemplateColumn } from './register-template';

/** An XLSX workbook: the KPIs, People and Targets sheets with an example row each, and a Columns sheet saying what goes where. */
export async function registerTemplateXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Quarterly';
  const sheetOf = (name: string, columns: readonly TemplateColumn[]) => {
    const sheet = workbook.addWorksheet(name);
    sheet.columns = columns.map((column) => ({ header: column.name, key: column.name, width: Math.max(12, column.name.length + 2) }));
    sheet.addRow(Object.fromEntries(columns.map((column) => [column.name, column.example])));
    sheet.getRow(1).font = { bold: true };
    // Every cell is text: "1.10" stays "1.10", an id like 001 keeps its zeros.
    for (let index = 1; index <= columns.length; index += 1) sheet.getColumn(index).numFmt = '@';
  };
  sheetOf(KPI_SHEET, KPI_COLUMNS);
  sheetOf(PEOPLE_SHEET, PEOPLE_COLUMNS);
  sheetOf(TARGETS_SHEET, TARGET_COLUMNS);
  const guide = workbook.addWorksheet('Columns');
  guide.columns = [
    { header: 'sheet', key: 'sheet', width: 10 },
    { header: 'column', key: 'column', width: 20 },
    { header: 'required', key: 'required', width: 10 },
    { header: 'what goes in it', key: 'description', width: 100 },
  ];
  guide.getRow(1).font = { bold: true };
  for (const [sheet, columns] of [[KPI_SHEET, KPI_COLUMNS], [PEOPLE_SHEET, PEOPLE_COLUMNS], [TARGETS_SHEET, TARGET_COLUMNS]] as const) {
    for (const column of columns) guide.addRow({ sheet, column: column.name, required: column.required ? 'yes' : '', description: column.description });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A CSV file of the KPI sheet (CSV holds one sheet: people are registered through the API or XLSX). */
export function registerTemplateCsv(): string {
  const quote = (text: string) => (/[",\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return `${KPI_COLUMNS.map((c) => c.name).join(',')}\r\n${KPI_COLUMNS.map((c) => quote(c.example)).join(',')}\r\n`;
}

/** A targets CSV file: its header row is exactly the Targets sheet's columns, which is how the reader knows it. */
export function registerTargetsTemplateCsv(): string {
  const quote = (text: string) => (/[",\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return `${TARGET_COLUMNS.map((c) => c.name).join(',')}\r\n${TARGET_COLUMNS.map((c) => quote(c.example)).join(',')}\r\n`;
}
