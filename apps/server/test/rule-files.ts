/** A rule file in the bundled format: root logins must be `expected`. */
export const siteRuleFile = (id: string, expected: string, fact = 'sshd_config') => `area: site
rules:
- id: ${id}
  title: Root may not log in over SSH (site policy)
  description: PermitRootLogin is ${expected}.
  rationale: Site policy.
  severity: high
  levels: [l1]
  section: {id: '5.1', name: SSH server}
  check:
    fact: ${fact}
    path: [settings, permitrootlogin, value]
    op: eq
    value: '${expected}'
  remediation:
    shell: echo 'PermitRootLogin ${expected}' > /etc/ssh/sshd_config.d/00-site.conf
    ansible:
      name: Site root login policy
      ansible.builtin.copy: {dest: /etc/ssh/sshd_config.d/00-site.conf, content: 'PermitRootLogin ${expected}'}
  references:
    nist: [AC-6]
`;
