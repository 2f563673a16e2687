warden_fuzz_target(akto_batch DEPS warden_ingest)
warden_fuzz_target(akto_jsonl DEPS warden_ingest)
warden_fuzz_target(har DEPS warden_ingest)
