-- Which work-queue message dead-lettered a rejected record (its JMS message id). A record already
-- rejected by another message is in its DLQ already (or on its way there, with that message's
-- redelivery): a re-read page after a crash then skips it instead of dead-lettering it twice.
ALTER TABLE id_map ADD COLUMN dead_letter_ref VARCHAR(191);
