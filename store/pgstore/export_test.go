package pgstore

// SlowScans counts reads of entries that fell back from the raw binary
// decoding to Scan.
var SlowScans = &slowScans

// LogPage returns the statement every transaction of d starts with and the
// query of one page of the log (organisation, after, limit), for a test of
// the page's plan.
func (d *Driver) LogPage() (setOrg, page string) {
	return d.q.setOrg, d.q.logBase + " order by seq limit $3"
}

// StreamLookups returns the statements that find one stream by its key
// (organisation, kind, id; the checked update also takes the new version,
// circle, status and the version expected), for a test of their plans.
func (d *Driver) StreamLookups() []string {
	return []string{d.q.streamVersion, d.q.streamInfo, d.q.updateStream}
}
