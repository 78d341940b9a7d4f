// Public API of @quarterly/spreadsheet-import: what every spreadsheet import shares — the reader
// of XLSX / CSV files into rows of text cells with named problems, the readers of the cells people
// type (dates, choices), and queued import jobs.
export * from './spreadsheet-table.reader';
export * from './cell-readers';
export * from './row-problems';
export * from './spreadsheet-import.jobs';
