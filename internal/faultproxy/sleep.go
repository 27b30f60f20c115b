package faultproxy

import "time"

func stallSleep() { time.Sleep(5 * time.Millisecond) }
