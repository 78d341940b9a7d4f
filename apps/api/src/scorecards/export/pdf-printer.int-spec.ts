import { ServiceUnavailableException } from '@nestjs/common';
import { PdfPrinter } from './pdf-printer';

describe('printing a PDF with headless Chromium', () => {
  it('prints HTML to a PDF, and prints again with the same browser', async () => {
    const printer = new PdfPrinter();
    try {
      const first = await printer.print('<!DOCTYPE html><html lang="en"><title>t</title><h1>Scorecard</h1></html>', { title: 'Council', asAtInWords: '1 May 2026 at 10:00' });
      const second = await printer.print('<!DOCTYPE html><html lang="en"><title>t</title><p>Again</p></html>', { title: 'Council', asAtInWords: '1 May 2026 at 10:00' });
      expect(first.subarray(0, 5).toString()).toBe('%PDF-');
      expect(second.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await printer.close();
    }
  });

  it('without Chromium, refuses with 503 (the other files still work) rather than failing with a 500', async () => {
    const printer = new PdfPrinter('/nonexistent/chromium');
    await expect(printer.print('<p>x</p>', { title: 'Council', asAtInWords: 'now' })).rejects.toBeInstanceOf(ServiceUnavailableException);
    await printer.close();
  });
});
