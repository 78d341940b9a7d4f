// Public API of @quarterly/spreadsheet-import: what every spreadsheet import shares — the reader
// of XLSX / CSV files into rows of text cells with named problems, and queued import jobs.
export * from './spreadsheet-table.reader';
export * from './spreadsheet-import.jobs';
