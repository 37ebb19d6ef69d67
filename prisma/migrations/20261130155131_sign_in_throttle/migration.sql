-- AlterTable
ALTER TABLE "user" DROP COLUMN "failed_logins",
DROP COLUMN "locked_until";

-- CreateTable
CREATE TABLE "sign_in_address" (
    "address" TEXT NOT NULL,
    "window_start" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL,

    CONSTRAINT "sign_in_address_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "sign_in_account" (
    "email" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "blocked_until" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sign_in_account_pkey" PRIMARY KEY ("email")
);
