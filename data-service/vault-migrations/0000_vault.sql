CREATE TABLE "access_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"seq" bigint,
	"at" bigint NOT NULL,
	"block_number" bigint NOT NULL,
	"block_hash" "bytea" NOT NULL,
	"outcome" smallint NOT NULL,
	"refusal" text,
	"reader" numeric(78, 0) NOT NULL,
	"reader_key" "bytea" NOT NULL,
	"role" "bytea" NOT NULL,
	"department" numeric(78, 0) NOT NULL,
	"law_id" "bytea" NOT NULL,
	"register_id" "bytea" NOT NULL,
	"subject" numeric(78, 0) NOT NULL,
	"record_uid" "bytea" NOT NULL,
	"purpose" "bytea" NOT NULL,
	"purpose_text" text NOT NULL,
	"request_digest" "bytea" NOT NULL,
	"disclosed_at" bigint NOT NULL,
	"batch_id" bigint,
	CONSTRAINT "access_log_seq_unique" UNIQUE("seq")
);
--> statement-breakpoint
CREATE TABLE "anchor_batch" (
	"batch_id" bigint PRIMARY KEY NOT NULL,
	"root" "bytea" NOT NULL,
	"first_seq" bigint NOT NULL,
	"count" integer NOT NULL,
	"first_at" bigint NOT NULL,
	"last_at" bigint NOT NULL,
	"tree" jsonb NOT NULL,
	"status" text NOT NULL,
	"tx_hash" "bytea",
	"block_number" bigint
);
--> statement-breakpoint
CREATE TABLE "application_data" (
	"application_id" numeric(78, 0) PRIMARY KEY NOT NULL,
	"data_hash" "bytea" NOT NULL,
	"key_id" integer NOT NULL,
	"iv" "bytea" NOT NULL,
	"tag" "bytea" NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	"uploaded_by" numeric(78, 0) NOT NULL,
	"uploaded_key" "bytea" NOT NULL,
	"upload_digest" "bytea" NOT NULL,
	"uploaded_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "data_key" (
	"id" serial PRIMARY KEY NOT NULL,
	"wrapped" "bytea" NOT NULL,
	"wrap_iv" "bytea" NOT NULL,
	"wrap_tag" "bytea" NOT NULL,
	"master_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"retired_at" bigint
);
--> statement-breakpoint
CREATE TABLE "document" (
	"hash" "bytea" PRIMARY KEY NOT NULL,
	"key_id" integer NOT NULL,
	"iv" "bytea" NOT NULL,
	"tag" "bytea" NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"media_type" text NOT NULL,
	"record_uid" "bytea" NOT NULL,
	"uploaded_by" numeric(78, 0) NOT NULL,
	"uploaded_key" "bytea" NOT NULL,
	"upload_digest" "bytea" NOT NULL,
	"uploaded_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity_data" (
	"identity_id" numeric(78, 0) PRIMARY KEY NOT NULL,
	"attributes_hash" "bytea" NOT NULL,
	"key_id" integer NOT NULL,
	"iv" "bytea" NOT NULL,
	"tag" "bytea" NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	"uploaded_by" numeric(78, 0) NOT NULL,
	"uploaded_key" "bytea" NOT NULL,
	"upload_digest" "bytea" NOT NULL,
	"uploaded_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "record_private" (
	"uid" "bytea" PRIMARY KEY NOT NULL,
	"register_id" "bytea" NOT NULL,
	"subject" numeric(78, 0) NOT NULL,
	"key_id" integer NOT NULL,
	"iv" "bytea" NOT NULL,
	"tag" "bytea" NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	"uploaded_by" numeric(78, 0) NOT NULL,
	"uploaded_key" "bytea" NOT NULL,
	"upload_digest" "bytea" NOT NULL,
	"uploaded_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_nonce" (
	"key" "bytea" NOT NULL,
	"kind" text NOT NULL,
	"nonce" numeric(78, 0) NOT NULL,
	"used_at" bigint NOT NULL,
	CONSTRAINT "request_nonce_key_kind_nonce_pk" PRIMARY KEY("key","kind","nonce")
);
--> statement-breakpoint
CREATE INDEX "access_log_subject_at" ON "access_log" USING btree ("subject","at");--> statement-breakpoint
CREATE INDEX "access_log_unbatched" ON "access_log" USING btree ("id") WHERE "access_log"."batch_id" IS NULL;