module balloon/workloads

go 1.19
