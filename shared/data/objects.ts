import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { StoredObject } from '#shared/domain/documents.ts';

/**
 * Document objects in the documents bucket, and the one place that presigns URLs for them. The API never carries
 * file bytes: clients PUT to and GET from S3 with a URL signed here. Presigning sends nothing, but it runs the
 * client's middleware up to signing, so the test suite's access recorder sees a presigned `PutObject`/`GetObject`
 * exactly as it sees a call (what the URL does is done with the signer's permissions).
 */
export function makeObjectStore({ s3, bucket }: { s3: S3Client; bucket: string }) {
  return {
    /**
     * A URL that PUTs exactly this object: `Content-Type` and `Content-Length` are signed, so S3 refuses another type
     * or size (s3rver does not check signatures: docs/local-runtime.md).
     */
    presignPut(key: string, contentType: string, sizeBytes: number, expiresInSeconds: number, now: Date) {
      return getSignedUrl(
        s3,
        new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType, ContentLength: sizeBytes }),
        {
          expiresIn: expiresInSeconds,
          signingDate: now,
          signableHeaders: new Set(['content-type', 'content-length']),
        },
      );
    },

    /** A URL that GETs the object, valid `expiresInSeconds` from `now`. */
    presignGet(key: string, expiresInSeconds: number, now: Date) {
      return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
        expiresIn: expiresInSeconds,
        signingDate: now,
      });
    },

    /** What the stored object says of itself, or undefined when there is none. */
    async head(key: string): Promise<StoredObject | undefined> {
      try {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { sizeBytes: head.ContentLength ?? 0, contentType: head.ContentType };
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404 || (error as Error).name === 'NotFound' || (error as Error).name === 'NoSuchKey') {
          return undefined;
        }
        throw error;
      }
    },

    /** Deletes the object; deleting one that is not there is no error (S3 answers 204 either way). */
    async remove(key: string): Promise<void> {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}

export type ObjectStore = ReturnType<typeof makeObjectStore>;
