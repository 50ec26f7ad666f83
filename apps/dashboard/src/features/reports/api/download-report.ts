import { useMutation } from '@tanstack/react-query';
import { ApiError, toApiError } from '@/lib/api-client';
import { filenameFrom } from '../utils/report-form';

export interface DownloadedReport {
  filename: string;
  blob: Blob;
  /** Base64 Ed25519 signature over the SHA-512 of the bytes (X-Plumbline-Signature). */
  signature: string | null;
  algorithm: string | null;
  keyId: string | null;
  sha256: string | null;
  reportId: string | null;
  bytes: number;
}

/**
 * GET /api/v1/reports with the session cookie. Fetched rather than followed as a link, so
 * that the signature headers can be read and shown next to the file.
 */
export async function downloadReport(href: string, fallbackName: string): Promise<DownloadedReport> {
  let res: Response;
  try {
    res = await fetch(href, { credentials: 'same-origin', headers: { accept: '*/*' } });
  } catch {
    throw new ApiError(0, 'PLUMBLINE_ERR_NETWORK', 'Cannot reach the Plumbline server.', null);
  }
  if (!res.ok) throw await toApiError(res);
  const blob = await res.blob();
  const h = res.headers;
  return {
    filename: filenameFrom(h.get('content-disposition'), fallbackName),
    blob,
    signature: h.get('x-plumbline-signature'),
    algorithm: h.get('x-plumbline-signature-algorithm'),
    keyId: h.get('x-plumbline-key-id'),
    sha256: h.get('x-plumbline-content-sha256'),
    reportId: h.get('x-plumbline-report-id'),
    bytes: blob.size,
  };
}

/** Hands a blob to the browser as a download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser time to start reading before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function useDownloadReport() {
  return useMutation({
    mutationFn: ({ href, fallbackName }: { href: string; fallbackName: string }) => downloadReport(href, fallbackName),
    onSuccess: (report) => saveBlob(report.blob, report.filename),
  });
}
