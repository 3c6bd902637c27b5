-- CreateTable
CREATE TABLE "BotStateItem" (
    "key" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "etag" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BotStateItem_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "OutboxMail" (
    "id" TEXT NOT NULL,
    "from" TEXT,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT,
    "sealedSecrets" TEXT,
    "replyTo" TEXT,
    "attachments" TEXT,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "OutboxMail_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirectLineConversation" (
    "id" TEXT NOT NULL,
    "userId" TEXT,
    "userName" TEXT,
    "locale" TEXT,
    "nextSeq" INTEGER NOT NULL DEFAULT 0,
    "started" BOOLEAN NOT NULL DEFAULT false,
    "resumeHash" TEXT,
    "browserHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DirectLineConversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirectLineToken" (
    "hash" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "browserHash" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DirectLineToken_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "DirectLineActivity" (
    "conversationId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DirectLineActivity_pkey" PRIMARY KEY ("conversationId","seq")
);

-- CreateTable
CREATE TABLE "AccreditationAccount" (
    "id" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "identifierKind" TEXT NOT NULL,
    "identifierKeyOk" BOOLEAN NOT NULL,
    "civility" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "specialty" TEXT NOT NULL,
    "practice" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'fr',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "tempPasswordHash" TEXT,
    "tempPasswordExpiresAt" TIMESTAMP(3),
    "passwordHash" TEXT,
    "passwordChangedAt" TIMESTAMP(3),
    "firstSignInAt" TIMESTAMP(3),
    "lastSignInAt" TIMESTAMP(3),
    "adminFile" TEXT,
    "adminFileSavedAt" TIMESTAMP(3),

    CONSTRAINT "AccreditationAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccreditationEvent" (
    "id" SERIAL NOT NULL,
    "accountId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "detail" TEXT,

    CONSTRAINT "AccreditationEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "notifiedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "SecureLink" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "conversation" TEXT NOT NULL,
    "conversationKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "stage" TEXT NOT NULL DEFAULT 'start',
    "accountId" TEXT,
    "completedAt" TIMESTAMP(3),
    "consumedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "codeHash" TEXT,
    "codeTries" INTEGER NOT NULL DEFAULT 0,
    "verifiedAt" TIMESTAMP(3),

    CONSTRAINT "SecureLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Engagement" (
    "accountId" TEXT NOT NULL,
    "oaId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "questionnaire" TEXT NOT NULL,
    "answers" TEXT NOT NULL DEFAULT '{}',
    "section" INTEGER NOT NULL DEFAULT 0,
    "sentAt" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3),
    "expertComment" TEXT,
    "commentSection" TEXT,
    "attestationAt" TIMESTAMP(3),
    "attestationPosted" TIMESTAMP(3),

    CONSTRAINT "Engagement_pkey" PRIMARY KEY ("accountId")
);

-- CreateTable
CREATE TABLE "Decision" (
    "id" SERIAL NOT NULL,
    "accountId" TEXT NOT NULL,
    "expertId" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "reason" TEXT,
    "section" TEXT,
    "answers" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeskAccount" (
    "id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "oaIds" TEXT NOT NULL DEFAULT '[]',
    "passwordHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeskAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Epr" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "oaId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "answers" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "Epr_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConversationLink" (
    "accountId" TEXT NOT NULL,
    "conversation" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConversationLink_pkey" PRIMARY KEY ("accountId","conversation")
);

-- CreateTable
CREATE TABLE "MedimailAccount" (
    "id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "profession" TEXT NOT NULL,
    "mssAddress" TEXT NOT NULL,
    "passwordHash" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'fr',
    "details" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "emailConfirmedAt" TIMESTAMP(3),
    "submittedAt" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3),
    "decidedBy" TEXT,
    "rejectReason" TEXT,
    "cguAcceptedAt" TIMESTAMP(3),
    "activatedAt" TIMESTAMP(3),
    "otpHash" TEXT,
    "otpExpiresAt" TIMESTAMP(3),
    "otpTries" INTEGER NOT NULL DEFAULT 0,
    "conversation" TEXT,

    CONSTRAINT "MedimailAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceCentreRequest" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "accountId" TEXT,
    "detail" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reference" TEXT,
    "status" TEXT NOT NULL DEFAULT 'RECEIVED',
    "requesterEmail" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'fr',
    "doneAt" TIMESTAMP(3),
    "doneBy" TEXT,

    CONSTRAINT "ServiceCentreRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TranscriptActivity" (
    "id" SERIAL NOT NULL,
    "channelId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "role" TEXT,
    "activity" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TranscriptActivity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupportTicket" (
    "id" SERIAL NOT NULL,
    "conversation" TEXT NOT NULL,
    "client" TEXT,
    "route" TEXT NOT NULL,
    "oaId" TEXT,
    "recipient" TEXT,
    "journey" TEXT,
    "step" TEXT,
    "errors" TEXT NOT NULL DEFAULT '[]',
    "description" TEXT NOT NULL,
    "contactEmail" TEXT NOT NULL,
    "identity" TEXT NOT NULL DEFAULT '{}',
    "transcript" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SupportTicket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimiterFlexible" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "expire" TIMESTAMP(3),

    CONSTRAINT "RateLimiterFlexible_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "SupportingDocument" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SupportingDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelUpload" (
    "id" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChannelUpload_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OutboxMail_status_nextAttemptAt_idx" ON "OutboxMail"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "DirectLineToken_conversationId_idx" ON "DirectLineToken"("conversationId");

-- CreateIndex
CREATE UNIQUE INDEX "AccreditationAccount_identifier_key" ON "AccreditationAccount"("identifier");

-- CreateIndex
CREATE INDEX "AccreditationEvent_accountId_type_at_idx" ON "AccreditationEvent"("accountId", "type", "at");

-- CreateIndex
CREATE UNIQUE INDEX "SecureLink_tokenHash_key" ON "SecureLink"("tokenHash");

-- CreateIndex
CREATE INDEX "SecureLink_conversationKey_completedAt_idx" ON "SecureLink"("conversationKey", "completedAt");

-- CreateIndex
CREATE INDEX "Engagement_oaId_status_sentAt_idx" ON "Engagement"("oaId", "status", "sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "DeskAccount_email_key" ON "DeskAccount"("email");

-- CreateIndex
CREATE INDEX "Epr_oaId_status_idx" ON "Epr"("oaId", "status");

-- CreateIndex
CREATE INDEX "Epr_accountId_idx" ON "Epr"("accountId");

-- CreateIndex
CREATE UNIQUE INDEX "MedimailAccount_email_key" ON "MedimailAccount"("email");

-- CreateIndex
CREATE UNIQUE INDEX "MedimailAccount_mssAddress_key" ON "MedimailAccount"("mssAddress");

-- CreateIndex
CREATE INDEX "MedimailAccount_status_submittedAt_idx" ON "MedimailAccount"("status", "submittedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceCentreRequest_reference_key" ON "ServiceCentreRequest"("reference");

-- CreateIndex
CREATE INDEX "TranscriptActivity_channelId_conversationId_id_idx" ON "TranscriptActivity"("channelId", "conversationId", "id");

-- CreateIndex
CREATE INDEX "TranscriptActivity_channelId_conversationId_role_id_idx" ON "TranscriptActivity"("channelId", "conversationId", "role", "id");

-- CreateIndex
CREATE INDEX "TranscriptActivity_at_idx" ON "TranscriptActivity"("at");

-- CreateIndex
CREATE INDEX "SupportTicket_conversation_createdAt_idx" ON "SupportTicket"("conversation", "createdAt");

-- CreateIndex
CREATE INDEX "SupportTicket_client_createdAt_idx" ON "SupportTicket"("client", "createdAt");

-- CreateIndex
CREATE INDEX "RateLimiterFlexible_expire_idx" ON "RateLimiterFlexible"("expire");

-- CreateIndex
CREATE INDEX "SupportingDocument_accountId_idx" ON "SupportingDocument"("accountId");

-- CreateIndex
CREATE INDEX "ChannelUpload_conversationId_idx" ON "ChannelUpload"("conversationId");

-- AddForeignKey
ALTER TABLE "AccreditationEvent" ADD CONSTRAINT "AccreditationEvent_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "AccreditationAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Engagement" ADD CONSTRAINT "Engagement_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "AccreditationAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Engagement"("accountId") ON DELETE RESTRICT ON UPDATE CASCADE;

