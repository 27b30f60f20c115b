package pg

// Notification is a message delivered by NOTIFY on a channel the connection
// LISTENs to.
type Notification struct {
	PID     uint32 // backend process that sent it
	Channel string
	Payload string
}
