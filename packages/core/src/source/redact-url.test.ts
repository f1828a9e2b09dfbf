import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('masks presigned S3 signatures, credentials and tokens, keeping the rest as written', () => {
    expect(
      redactUrl(
        'https://bucket.s3.eu-west-1.amazonaws.com/m/model.safetensors?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20260101&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&X-Amz-Security-Token=tok&X-Amz-Signature=deadbeef',
      ),
    ).toBe(
      'https://bucket.s3.eu-west-1.amazonaws.com/m/model.safetensors?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&X-Amz-Security-Token=***&X-Amz-Signature=***',
    );
  });

  it('masks user info, Azure SAS sig, CloudFront and GCS signatures, access tokens; drops the fragment', () => {
    expect(redactUrl('https://user:pa55@host.example/a?b=1#frag')).toBe(
      'https://***:***@host.example/a?b=1',
    );
    expect(redactUrl('https://hf_TOKEN@host.example/a')).toBe('https://***@host.example/a');
    expect(redactUrl('https://a.blob.core.windows.net/c/f?sv=2022&sig=abc%2Bdef&se=2026')).toBe(
      'https://a.blob.core.windows.net/c/f?sv=2022&sig=***&se=2026',
    );
    expect(
      redactUrl('https://d.cloudfront.net/f?Expires=1&Signature=x&Key-Pair-Id=k&Policy=p'),
    ).toBe('https://d.cloudfront.net/f?Expires=1&Signature=***&Key-Pair-Id=***&Policy=***');
    expect(redactUrl('https://storage.googleapis.com/b/o?X-Goog-Signature=ff&x=1')).toBe(
      'https://storage.googleapis.com/b/o?X-Goog-Signature=***&x=1',
    );
    expect(redactUrl('http://h/f?access_token=abc&api_key=def&download=true')).toBe(
      'http://h/f?access_token=***&api_key=***&download=true',
    );
    expect(redactUrl(new URL('http://h:8080/f'))).toBe('http://h:8080/f');
  });

  it('never throws: text that is not a URL becomes a placeholder', () => {
    expect(redactUrl('not a url ?token=secret')).toBe('<invalid URL>');
  });
});
