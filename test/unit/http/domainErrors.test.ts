import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { DomainError, invalid, missing, type DomainErrorKind } from '../../../src/domainError.js';
import { errorHandler, fromDomain } from '../../../src/http/app.js';

describe('domain errors at the HTTP edge', () => {
  it.each([
    ['invalid', 400],
    ['not_found', 404],
    ['conflict', 409],
    ['unprocessable', 422],
    ['forbidden', 403],
    ['upstream', 502],
  ] as Array<[DomainErrorKind, number]>)('%s is %i, with its code and message', (kind, status) => {
    const mapped = fromDomain(new DomainError(kind, 'SOME_CODE', 'what went wrong', { n: 1 }));
    expect([mapped.status, mapped.code, mapped.message, mapped.details]).toEqual([status, 'SOME_CODE', 'what went wrong', { n: 1 }]);
  });

  it('the error handler answers a thrown domain error as JSON with its status, never a 500', async () => {
    const app = express();
    app.get('/missing', () => {
      throw missing('claim 7');
    });
    app.get('/invalid', () => {
      throw invalid("status 'paid' is not one of new");
    });
    app.use(errorHandler);
    const gone = await request(app).get('/missing');
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error: { code: 'NOT_FOUND', message: 'claim 7 not found' } });
    const bad = await request(app).get('/invalid');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_REQUEST');
  });
});
