-- Webhook secrets leave the webhook table for the encrypted secret store. SQL cannot encrypt (the key lives outside
-- the database), so the plaintext moves to a holding table that the next start seals into "secret" and drops
-- (lib/secrets/sealPendingSecrets.ts). The plaintext column is gone from here on.
CREATE TABLE "secret_plaintext_pending" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);
INSERT INTO "secret_plaintext_pending" ("name", "value")
SELECT 'webhook:' || "id", "secret" FROM "webhook" WHERE "secret" IS NOT NULL AND "secret" <> '';

-- AlterTable
ALTER TABLE "webhook" DROP COLUMN "secret";

-- CreateTable
CREATE TABLE "secret" (
    "name" TEXT NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "iv" BYTEA NOT NULL,
    "auth_tag" BYTEA NOT NULL,
    "key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "secret_pkey" PRIMARY KEY ("name")
);
