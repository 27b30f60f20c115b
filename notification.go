package pg

// Notification is a message delivered by NOTIFY on a channel the connection
// LISTENs to.
type Notification struct {
	PID     uint32 // backend process that sent it
	Channel string
	Payload string
	// Gap is set, on a notification with no PID and no payload, by a
	// Pool.Listen listener that has just listened again after losing its
	// connection: notifications sent in between are lost, so the callback
	// should catch up (re-read what the notifications are about).
	Gap bool
}
