"""The reviewer's side of a visit: the queue of submitted visits and the page to approve or return one."""
