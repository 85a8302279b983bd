// A file the operator chose, as base64 for the desktop API (which takes no paths from the page).
// In chunks: String.fromCharCode cannot take a whole file's bytes as arguments at once.
export async function fileBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
