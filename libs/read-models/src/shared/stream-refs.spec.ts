import { returnIdOfStream, streamRefsOf, UnrecognisedStreamError } from './stream-refs';

describe('streamRefsOf', () => {
  it('reads KPI, cycle and return ids out of a return stream, even when the KPI id has dashes', () => {
    expect(streamRefsOf('return-ASC-01-2024-25-Q2')).toEqual({
      kpiId: 'ASC-01',
      cycleId: '2024/25-Q2',
      returnId: 'ASC-01:2024/25-Q2',
    });
  });

  it('reads the cycle of a cycle stream and the KPI of a KPI stream', () => {
    expect(streamRefsOf('cycle-2025-26-Q4')).toEqual({ kpiId: null, cycleId: '2025/26-Q4', returnId: null });
    expect(streamRefsOf('kpi-PH.3a')).toEqual({ kpiId: 'PH.3a', cycleId: null, returnId: null });
  });

  it('gives nothing for other streams', () => {
    expect(streamRefsOf('person-j.smith')).toEqual({ kpiId: null, cycleId: null, returnId: null });
  });

  it('answers the same for a stream asked again, also after more streams than it remembers', () => {
    const first = streamRefsOf('return-ASC-01-2024-25-Q2');
    for (let i = 0; i < 25_000; i += 1) {
      expect(streamRefsOf(`return-K${i}-2024-25-Q${(i % 4) + 1}`)).toEqual({ kpiId: `K${i}`, cycleId: `2024/25-Q${(i % 4) + 1}`, returnId: `K${i}:2024/25-Q${(i % 4) + 1}` });
    }
    expect(streamRefsOf('return-ASC-01-2024-25-Q2')).toEqual(first);
    expect(streamRefsOf(`return-K24999-2024-25-Q4`)).toEqual({ kpiId: 'K24999', cycleId: '2024/25-Q4', returnId: 'K24999:2024/25-Q4' });
    expect(streamRefsOf('kpi-PH.3a')).toEqual({ kpiId: 'PH.3a', cycleId: null, returnId: null });
  });

  it('refuses a non-return stream where a return is required', () => {
    expect(() => returnIdOfStream('kpi-ASC-01')).toThrow(UnrecognisedStreamError);
  });
});
