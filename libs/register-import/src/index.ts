// Public API of @quarterly/register-import: the register file's template, reader, planner and importer.
export * from './register-template';
export * from './register-words';
export * from './register-template.writer';
export * from './register-file.reader';
export * from './register-import.planner';
export * from './register-importer';
export * from './register-import.jobs';
