import { describe, expect, it } from 'vitest';
import { listingsOf, rawListings, toListing, verdict } from '../../src/chpl/listings.js';

describe('CHPL listing shapes', () => {
  it('reads the older "☺"-separated criteria string, the download shape and epoch dates', () => {
    expect(
      toListing({
        chplProductNumber: '15.04.04.1.A',
        developer: 'Acme Health',
        product: 'Acme EHR',
        version: '7',
        certificationStatus: 'Active',
        certificationDate: Date.UTC(2022, 7, 23),
        criteriaMet: '170.315 (a)(1)☺170.315 (g)(10)',
      }),
    ).toEqual({
      chplProductNumber: '15.04.04.1.A',
      developer: 'Acme Health',
      product: 'Acme EHR',
      version: '7',
      certificationStatus: 'Active',
      certificationDate: '2022-08-23',
      g10: true,
    });
    const download = toListing({
      chplProductNumber: '15.04.04.1.B',
      developer: { name: 'Acme Health' },
      product: { name: 'Acme EHR' },
      version: { version: '8' },
      certificationStatus: { name: 'Active' },
      certificationResults: [
        { criterion: { id: 182, number: '170.315 (g)(10)' }, success: false },
        { criterion: { id: 181 }, success: true },
      ],
    });
    expect(download).toMatchObject({ version: '8', g10: false });
    expect(rawListings({ listings: [{ a: 1 }, 3] })).toEqual([{ a: 1 }]);
    expect(rawListings({ something: [] })).toBeUndefined();
    expect(rawListings('text')).toBeUndefined();
  });

  it('skips records without a product number or developer, and repeated product numbers', () => {
    const raws = [
      { chplProductNumber: 'x', developer: { name: 'Acme, Inc.' }, criteriaMet: [{ id: 182 }], certificationStatus: { name: 'Active' } },
      { chplProductNumber: 'x', developer: { name: 'Acme, Inc.' }, criteriaMet: [], certificationStatus: { name: 'Retired' } },
      { developer: { name: 'Acme, Inc.' } },
      { chplProductNumber: 'y' },
    ];
    const listings = listingsOf(raws, ['ACME']);
    expect(listings.map((l) => l.chplProductNumber)).toEqual(['x']);
    expect(verdict(listings, 's').status).toBe('certified');
    expect(verdict([{ ...listings[0]!, certificationStatus: 'Suspended by ONC' }], 's').status).toBe('not-certified');
  });
});
