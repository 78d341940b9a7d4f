// Public API of @quarterly/past-figures-import: the past-figures file's template, reader, planner and importer.
export * from './past-figures-template';
export * from './past-figures-template.writer';
export * from './past-figures-file.reader';
export * from './past-figures-snapshot';
export * from './targets-for-period';
export * from './past-figures-import.planner';
export * from './past-figures-importer';
export * from './past-figures-import.jobs';
