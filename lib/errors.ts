// What a thrown value says, whatever was thrown (an Error, a string, a library's plain object).
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
