// Coverage of the production contracts; test doubles are left out.
module.exports = { skipFiles: ["mocks/"] };
